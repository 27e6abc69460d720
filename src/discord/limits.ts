/** Discord's message, embed and autocomplete limits (API v10, shared/discord-api-notes.md). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  url: 2048,
  choices: 25,
  choiceName: 100,
} as const;
