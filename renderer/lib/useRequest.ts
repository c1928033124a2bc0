import { useEffect, useState } from 'react';
import type { Channel, Input, Output } from '../../shared/ipc';
import { request } from '../state/request';
import { sentence } from './errors';

export interface Loaded<T> {
  /** The last answer; kept while a newer request runs, so nothing jumps. */
  value: T | null;
  /** The last failure in plain words, cleared by the next success. */
  error: string | null;
  /** The failure's code (e.g. `FORBIDDEN`), for screens that answer it differently. */
  code: string | null;
  /** Whether `value` answers the current input (false while another input's answer is still shown). */
  current: boolean;
}

/**
 * One read for a screen or tab: fetched when the input (compared by value) or `refreshKey` changes,
 * an answer that arrives after the next request started is dropped.
 */
export function useRequest<K extends Channel>(channel: K, input: Input<K>, refreshKey?: unknown): Loaded<Output<K>> {
  const [state, setState] = useState<{ value: Output<K> | null; error: string | null; code: string | null; answered: string | null }>({
    value: null,
    error: null,
    code: null,
    answered: null,
  });
  const inputKey = JSON.stringify(input);

  useEffect(() => {
    let live = true;
    void request(channel, JSON.parse(inputKey) as Input<K>).then((r) => {
      if (!live) return;
      if (r.ok) setState({ value: r.value, error: null, code: null, answered: inputKey });
      else setState((s) => ({ ...s, error: sentence(r.error.message), code: r.error.code }));
    });
    return () => {
      live = false;
    };
  }, [channel, inputKey, refreshKey]);

  return { value: state.value, error: state.error, code: state.code, current: state.answered === inputKey };
}
