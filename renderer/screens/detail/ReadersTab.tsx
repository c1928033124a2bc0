import { KeyRound, User, UsersRound } from 'lucide-react';
import type { ReactNode } from 'react';
import type { SecretDetail, SecretReader } from '../../../shared/schemas/secrets';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { useRequest } from '../../lib/useRequest';

const GROUPS: { kind: SecretReader['kind']; title: string; icon: ReactNode }[] = [
  { kind: 'member', title: 'Members', icon: <User size={14} aria-hidden /> },
  { kind: 'team', title: 'Teams', icon: <UsersRound size={14} aria-hidden /> },
  { kind: 'credential', title: 'Service credentials', icon: <KeyRound size={14} aria-hidden /> },
];

/** Who can read: members, teams and service credentials the keys let open this secret, and why each can. */
export function ReadersTab({ detail }: { detail: SecretDetail }) {
  const { value: readers, error } = useRequest('secrets.readers', { id: detail.id }, detail.revision);

  if (error) return <ErrorNote message={error} />;
  if (!readers) return <SkeletonLines count={4} />;
  return (
    <>
      {GROUPS.map((g) => {
        const rows = readers.filter((r) => r.kind === g.kind);
        if (rows.length === 0) return null;
        return (
          <section key={g.kind} className="section" aria-labelledby={`readers-${g.kind}`}>
            <h3 className="section-title" id={`readers-${g.kind}`}>
              {g.title} <span className="nums">{rows.length}</span>
            </h3>
            <ul className="list-plain" aria-labelledby={`readers-${g.kind}`}>
              {rows.map((r) => (
                <li key={r.name} className="reader-row" data-testid="reader" data-kind={r.kind}>
                  {g.icon}
                  <span className="reader-name truncate" title={r.name}>
                    {r.name}
                  </span>
                  <span className="muted reader-why">{r.why}</span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
