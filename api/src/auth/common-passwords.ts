/**
 * Passwords of policy length that appear again and again in published breach corpora and
 * common-password lists (English, Spanish, Portuguese and French). Checked case-insensitively.
 */
const list = `
1234567890 12345678910 123456789a 0123456789 0987654321 1q2w3e4r5t 1qaz2wsx3edc 1234qwerty qwerty1234
qwertyuiop qwerty12345 qwerty123456 asdfghjkl; asdfghjkl1 zxcvbnm123 password12 password123 password1234
passw0rd123 p@ssw0rd123 p@ssword123 iloveyou12 iloveyou123 princess12 sunshine12 football12 baseball12
superman12 batman1234 welcome123 welcome1234 letmein123 trustno1234 monkey1234 dragon1234 master1234
abcdefghij abcd123456 abc1234567 aaaaaaaaaa 1111111111 2222222222 0000000000 9999999999 1212121212
1122334455 1234512345 123123123123 qazwsxedcr administrator admin12345 admin123456 adminadmin root123456
changeme123 changeme12 temporal123 contraseña contrasena contrasena1 contrasena123 contraseña1 contraseña123
micontrasena 1234567890a teamo12345 teamo123456 tequiero123 mexico1234 colombia123 peru123456 ecuador123
nicaragua1 honduras123 guatemala1 bolivia123 argentina1 brasil1234 senha12345 senha123456 minhasenha
minhasenha1 amor123456 motdepasse motdepasse1 azertyuiop azerty1234 soleil1234 bonjour123 chocolate1
chocolate12 microfinanzas consulta123 consulta1234 password2024 password2025 password2026 verano2024
invierno2024 primavera1 sebastian1 alejandro1 valentina1 estrella12 mariposa12 corazon123 hermosa123
`;

const common = new Set(list.split(/\s+/).filter(Boolean).map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  return common.has(p) || /^(.)\1+$/.test(p);
}
