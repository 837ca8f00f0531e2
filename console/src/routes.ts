// The console's pages, addressed by the URL's fragment so Back and bookmarks work. A fragment holds
// page names and user ids only, never a credential.

export type View =
  | { page: 'users' }
  | { page: 'new-user' }
  | { page: 'user'; id: string }
  | { page: 'organizations' }
  | { page: 'teams' }
  | { page: 'audit' };

export function parseView(hash: string): View {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'users' && parts[1] === 'new' && parts.length === 2) return { page: 'new-user' };
  if (parts[0] === 'users' && parts[1] && parts.length === 2) return { page: 'user', id: parts[1] };
  if (parts.length === 1 && (parts[0] === 'organizations' || parts[0] === 'teams' || parts[0] === 'audit')) return { page: parts[0] };
  return { page: 'users' };
}

export function hrefOf(view: View): string {
  switch (view.page) {
    case 'user':
      return `#/users/${encodeURIComponent(view.id)}`;
    case 'new-user':
      return '#/users/new';
    default:
      return `#/${view.page}`;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
