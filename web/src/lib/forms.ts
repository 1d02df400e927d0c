/** What a failed form action returns: the message keys to show above the form and next to each field. */
export interface FormFailure {
  /** Which form failed, when a page has several. */
  form?: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}
