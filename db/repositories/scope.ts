/** A jurisdiction as a query: 6 digits match the county, 9 the township, 12 the village. */
const SCOPE_FIELD: Record<number, 'countyCode' | 'townshipCode' | 'divisionCode'> = {
  6: 'countyCode',
  9: 'townshipCode',
  12: 'divisionCode',
};

export function scopeFilter(scope: string): Record<string, string> {
  const field = SCOPE_FIELD[scope.length];
  if (!field) throw new RangeError('scope must be 6, 9 or 12 digits');
  return { [field]: scope };
}
