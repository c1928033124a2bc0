import { sentence } from '../lib/errors';
import { request } from './request';
import { toast } from './toasts';

/** Cancel deletion (docs/product.md §4): Scheduled or Inactive → Active, said in a toast; false (with the error toast) when refused. */
export async function cancelDeletion(id: string, name: string): Promise<boolean> {
  const r = await request('secrets.cancelDeletion', { id });
  if (!r.ok) {
    toast.error(sentence(r.error.message));
    return false;
  }
  toast.success(`“${name}” is Active again`);
  return true;
}
