/**
 * Text an attacker (or an unlucky paste) sends to every text input. Each entry says what it probes.
 * A text input must answer each one with a clear error code, or store it so that showing it is safe.
 */
export interface HostileString {
  name: string;
  value: string;
  /** Must be refused with BAD_USER_INPUT (or 413 for a body over the limit), never stored. */
  mustRefuse?: boolean;
}

const nestedMarkdown = (levels: number) => `${'> '.repeat(levels)}${'- '.repeat(levels)}${'*'.repeat(levels)}deep${'*'.repeat(levels)} [x](javascript:alert(1))`;

export const hostileStrings: HostileString[] = [
  { name: 'script tag', value: '<script>alert("xss")</script>' },
  { name: 'image with an event handler', value: '<img src=x onerror="alert(1)">' },
  { name: 'svg onload', value: '<svg/onload=alert(1)>' },
  { name: 'javascript: URL in a Markdown link', value: '[clic aquí](javascript:alert(document.cookie))' },
  { name: 'javascript: URL in an anchor', value: '<a href="JaVaScRiPt:alert(1)">enlace</a>' },
  { name: 'data: URL', value: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>' },
  { name: 'SQL fragment', value: "Robert'); DROP TABLE app_user;--" },
  { name: 'SQL tautology', value: "' OR '1'='1' --" },
  { name: 'control characters', value: 'line\u0001\u0007\u001b[31mred\u001b[0m\r\n\tend\u007f' },
  { name: 'NUL byte', value: 'before\u0000after', mustRefuse: true },
  { name: '1 MB string', value: 'a'.repeat(1_000_000), mustRefuse: true },
  { name: 'lone UTF-16 surrogates', value: 'x\ud800y\udfffz', mustRefuse: true },
  { name: 'right-to-left override', value: 'invoice\u202Egpj.exe \u2066hidden\u2069' },
  { name: 'deeply nested Markdown', value: nestedMarkdown(500) },
  { name: '4,000 > and a word', value: `${'>'.repeat(4000)} palabra` },
  { name: 'emoji and combining marks', value: '👩🏽‍🌾 Cooperativa 🇵🇪 Z̴̡̛a̷l̶g̸o̵ ñandú' },
  { name: 'template and prototype keys', value: '{{constructor.constructor("alert(1)")()}} __proto__ ${7*7}' },
];

/** Markup in stored or rendered HTML that would run script in a browser. */
export function unsafeMarkup(html: string): string | null {
  const patterns: Array<[RegExp, string]> = [
    [/<script\b/i, 'a <script> element'],
    [/<[^>]+\son[a-z]+\s*=/i, 'an event-handler attribute'],
    [/(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):/i, 'a script URL'],
    [/<(iframe|object|embed|svg|math)\b/i, 'an embedding element'],
  ];
  for (const [re, what] of patterns) if (re.test(html)) return what;
  return null;
}
