import { PermissionFlagsBits as P } from 'discord.js';

export const ALL_PERMISSIONS: bigint = Object.values(P).reduce((all, bit) => all | bit, 0n);

/** Roughly what a fresh guild grants @everyone: enough to chat, not to moderate. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.UseExternalEmojis |
  P.ReadMessageHistory |
  P.UseApplicationCommands |
  P.Connect |
  P.Speak |
  P.ChangeNickname |
  P.CreateInstantInvite;

/** What the invite link of a feed-and-commands bot would ask for. */
export const DEFAULT_BOT_ROLE_PERMISSIONS: bigint =
  P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.UseApplicationCommands;

export const OverwriteType = { Role: 0, Member: 1 } as const;

export interface PermissionOverwrite {
  id: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  userId: string;
  roleIds: readonly string[];
  rolePermissions: (roleId: string) => bigint | undefined;
}

/** Discord's documented algorithm: base from roles, then @everyone, role and member overwrites in that order. */
export function computePermissions(subject: PermissionSubject, overwrites: readonly PermissionOverwrite[] = []): bigint {
  if (subject.userId === subject.ownerId) return ALL_PERMISSIONS;
  let base = subject.rolePermissions(subject.guildId) ?? 0n;
  for (const roleId of subject.roleIds) base |= subject.rolePermissions(roleId) ?? 0n;
  if ((base & P.Administrator) === P.Administrator) return ALL_PERMISSIONS;

  let perms = base;
  const everyone = overwrites.find((o) => o.id === subject.guildId);
  if (everyone) perms = (perms & ~everyone.deny) | everyone.allow;

  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== subject.guildId && subject.roleIds.includes(o.id)) {
      roleAllow |= o.allow;
      roleDeny |= o.deny;
    }
  }
  perms = (perms & ~roleDeny) | roleAllow;

  const member = overwrites.find((o) => o.type === OverwriteType.Member && o.id === subject.userId);
  if (member) perms = (perms & ~member.deny) | member.allow;

  // Without View Channel every other channel permission is void, as in the client.
  if ((perms & P.ViewChannel) !== P.ViewChannel) return 0n;
  return perms;
}

export function has(perms: bigint, bit: bigint): boolean {
  return (perms & bit) === bit;
}

export { P as PermissionBits };
