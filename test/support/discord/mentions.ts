/**
 * Who a message would notify, given its content and `allowed_mentions`.
 *
 * Permissions (Mention Everyone, role mentionability) are deliberately ignored:
 * tests want to know whether the *payload* allows a ping, because in a real
 * guild where the bot has those permissions it would happen.
 */
export interface MentionResult {
  everyone: boolean;
  roles: string[];
  users: string[];
}

interface AllowedMentions {
  parse?: unknown;
  roles?: unknown;
  users?: unknown;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function resolveMentions(content: string, allowed: unknown): MentionResult {
  const userIds = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] ?? '');
  const roleIds = [...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1] ?? '');
  const mentionsEveryone = /@(everyone|here)\b/.test(content);

  if (allowed === undefined || allowed === null || typeof allowed !== 'object') {
    return { everyone: mentionsEveryone, roles: unique(roleIds), users: unique(userIds) };
  }
  const rules = allowed as AllowedMentions;
  const parse = stringList(rules.parse);
  const allowedRoles = stringList(rules.roles);
  const allowedUsers = stringList(rules.users);
  return {
    everyone: mentionsEveryone && parse.includes('everyone'),
    roles: unique(roleIds.filter((id) => parse.includes('roles') || allowedRoles.includes(id))),
    users: unique(userIds.filter((id) => parse.includes('users') || allowedUsers.includes(id))),
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
