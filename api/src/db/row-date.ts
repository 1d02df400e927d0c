/** A timestamp column of a row read with plain SQL, which a driver may hand over as text. */
export function rowDate(value: Date | string): Date;
export function rowDate(value: Date | string | null): Date | null;
export function rowDate(value: Date | string | null) {
  return value === null ? null : new Date(value);
}
