export interface Rectangle {
  readonly w: number;
  readonly height: number;
}

export function area(w: number, height: number): number {
  if (w <= 0 || height <= 0) {
    return 0;
  }
  return w * height;
}

export function formatArea(rectangle: Rectangle): string {
  const value = area(rectangle.w, rectangle.height);
  return `${value.toFixed(2)} m²`;
}
