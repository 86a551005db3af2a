// Form state helpers: field errors (client or API) and the busy flag.
import { useState, useCallback, useRef } from 'preact/hooks';
import { ApiError, MSG, type FieldError } from '../api';

type ErrState = { message: string | null; fields: FieldError[]; key: number };

export function useForm() {
  const [err, setErr] = useState<ErrState>({ message: null, fields: [], key: 0 });
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  const error = useCallback((name: string) => err.fields.find((f) => f.field === name)?.message ?? null, [err]);

  const fail = useCallback((message: string | null, fields: FieldError[] = []) => {
    setErr((s) => ({ message, fields, key: s.key + 1 }));
  }, []);

  const clear = useCallback(() => setErr((s) => ({ message: null, fields: [], key: s.key })), []);

  /**
   * Runs an async submit once at a time. Client errors returned by `check`
   * stop it; an ApiError is shown in the summary and next to the fields.
   * Returns true on success.
   */
  const run = useCallback(async (work: () => Promise<void>, check?: () => FieldError[]): Promise<boolean> => {
    if (busyRef.current) return false;
    const fields = check ? check() : [];
    if (fields.length) { fail(MSG.validation, fields); return false; }
    busyRef.current = true;
    setBusy(true);
    try {
      await work();
      clear();
      return true;
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.code === 'aborted') return false;
        fail(e.message, e.fields);
      } else {
        fail(MSG.generic);
        console.error(e);
      }
      return false;
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, [fail, clear]);

  return { message: err.message, fields: err.fields, focusKey: err.key, error, fail, clear, busy, run };
}
