import { formatArea, Rectangle } from './geometry';

export function describeRoom(name: string, room: Rectangle): string {
  return `${name}: ${formatArea(room)}`;
}

export function describeGarden(garden: Rectangle): string {
  return `garden: ${formatArea(garden)}`;
}
