// Client-side checks that mirror the server's (docs/API.md). The server stays
// the authority; these only spare a round trip and give the same messages.
import type { FieldError } from './api';
import { isRealDate, todayJst } from './format';

const nfkc = (s: string) => s.normalize('NFKC');

/** Hiragana to katakana, as the server stores readings. */
export const toKatakana = (s: string) =>
  s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/** Katakana reading, full- or half-width, with spaces, ー and ・ allowed; hiragana is accepted
 * (the server converts it to katakana). */
export function isKatakana(s: string): boolean {
  const t = toKatakana(nfkc(s)).replace(/[\s\u3000]/g, '');
  return t.length > 0 && /^[\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FE]+$/.test(t);
}

export function isEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(nfkc(s).trim()) && s.length <= 254;
}

export const PASSWORD_MIN = 10;

export class Checker {
  errors: FieldError[] = [];
  add(field: string, code: string, message: string) {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, code, message });
  }
  required(field: string, value: string | undefined | null, label: string) {
    if (!value || !String(value).trim()) { this.add(field, `${field}.missing`, `${label}を入力してください`); return false; }
    return true;
  }
  select(field: string, value: string | undefined | null, label: string) {
    if (!value) { this.add(field, `${field}.missing`, `${label}を選択してください`); return false; }
    return true;
  }
  email(field: string, value: string) {
    if (this.required(field, value, 'メールアドレス') && !isEmail(value)) {
      this.add(field, `${field}.invalid`, 'メールアドレスの形式が正しくありません');
    }
  }
  password(field: string, value: string, label = 'パスワード') {
    if (!value) { this.add(field, `${field}.missing`, `${label}を入力してください`); return; }
    if ([...value].length < PASSWORD_MIN) this.add(field, `${field}.too_short`, `${label}は${PASSWORD_MIN}文字以上で入力してください`);
  }
  kana(field: string, value: string, label = 'フリガナ') {
    if (this.required(field, value, label) && !isKatakana(value)) {
      this.add(field, `${field}.not_katakana`, `${label}はカタカナで入力してください`);
    }
  }
  licenceNumber(field: string, value: string) {
    if (this.required(field, value, '登録番号') && !/^\d{1,10}$/.test(nfkc(value).trim())) {
      this.add(field, `${field}.invalid`, '登録番号は半角または全角の数字10桁以内で入力してください');
    }
  }
  pastDate(field: string, value: string, label: string) {
    if (!value) { this.add(field, `${field}.missing`, `${label}を入力してください`); return; }
    if (!isRealDate(value)) { this.add(field, `${field}.invalid`, `${label}の日付が正しくありません`); return; }
    if (value > todayJst()) this.add(field, `${field}.out_of_range`, `${label}に未来の日付は指定できません`);
  }
  phone(field: string, value: string, required = false) {
    if (!value.trim()) { if (required) this.add(field, `${field}.missing`, '電話番号を入力してください'); return; }
    const digits = nfkc(value).replace(/[-\s()（）ー−‐]/g, '');
    if (!/^\+?\d{10,11}$/.test(digits)) this.add(field, `${field}.invalid`, '電話番号の形式が正しくありません（例: 090-1234-5678）');
  }
  get ok() { return this.errors.length === 0; }
}

export { nfkc };
