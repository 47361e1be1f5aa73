import { formatArea } from './geometry';
import { describeRoom } from './report';

const kitchen = { w: 4, height: 3 };
const hall = { w: 2, height: 6 };

console.log(describeRoom('kitchen', kitchen));
console.log(`hall: ${formatArea(hall)}`);
