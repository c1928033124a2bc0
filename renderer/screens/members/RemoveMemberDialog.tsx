import type { MemberSummary } from '../../../shared/schemas/vault';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';

/** Removing a member is destructive: type their login; the core checks it again (`confirm`). */
export function RemoveMemberDialog({ member, onClose, onRemoved }: { member: MemberSummary; onClose: () => void; onRemoved: () => void }) {
  return (
    <ConfirmByTyping
      title={`Remove ${member.name}?`}
      word={member.name}
      actionLabel="Remove member"
      onClose={onClose}
      onConfirm={async (confirm) => {
        const r = await request('members.remove', { name: member.name, confirm });
        if (!r.ok) return sentence(r.error.message);
        toast.success(`${member.name} removed`);
        onClose();
        onRemoved();
        return null;
      }}
    >
      {member.name} can no longer unlock this vault. Their personal secrets are deleted, and every shared scope they could read (organization, workspaces,
      their teams) is rotated to new keys, so what they may have kept opens nothing written afterwards. This cannot be undone.
    </ConfirmByTyping>
  );
}
