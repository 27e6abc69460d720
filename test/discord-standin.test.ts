import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  REST,
  Routes,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordStandIn, type DiscordStandIn, type StandInOptions } from './support/discord/index.ts';

interface World {
  standIn: DiscordStandIn;
  guildId: string;
  channelId: string;
  rest: REST;
}

let standIn: DiscordStandIn | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await standIn?.close();
  standIn = undefined;
});

async function setup(options: StandInOptions = {}): Promise<World> {
  standIn = await startDiscordStandIn(options);
  const guild = standIn.addGuild({ name: 'Lightstick Test' });
  const channel = standIn.addChannel(guild.id, { name: 'news' });
  const rest = new REST({ api: standIn.apiUrl }).setToken(standIn.token);
  return { standIn, guildId: guild.id, channelId: channel.id, rest };
}

/** Logs a real discord.js client in; `handler` sees every interaction, and its failures are kept. */
async function login(world: World, handler?: (interaction: Interaction) => Promise<void>): Promise<{ client: Client; errors: unknown[] }> {
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: world.standIn.apiUrl } });
  client = c;
  const errors: unknown[] = [];
  if (handler) {
    c.on(Events.InteractionCreate, (interaction) => {
      handler(interaction).catch((error: unknown) => errors.push(error));
    });
  }
  const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
  await c.login(world.standIn.token);
  await ready;
  return { client: c, errors };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Discord stand-in with the real discord.js client', () => {
  it('logs in: clientReady fires and the guild, channel and permissions are cached', async () => {
    const world = await setup();
    const { client: c } = await login(world);

    expect(c.user?.id).toBe(world.standIn.botUserId);
    expect(c.application?.id).toBe(world.standIn.applicationId);
    const guild = c.guilds.cache.get(world.guildId);
    expect(guild?.available).toBe(true);
    const channel = guild?.channels.cache.get(world.channelId);
    expect(channel?.name).toBe('news');
    expect(guild?.members.me?.id).toBe(world.standIn.botUserId);
    expect(channel?.permissionsFor(c.user!.id)?.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(world.standIn.connectedClients).toBe(1);

    const updated = new Promise<void>((resolve) => c.once(Events.ChannelUpdate, () => resolve()));
    world.standIn.setBotCanPost(world.channelId, false);
    await updated;
    expect(guild?.channels.cache.get(world.channelId)?.permissionsFor(c.user!.id)?.has(PermissionFlagsBits.SendMessages)).toBe(false);

    const joined = new Promise<string>((resolve) => c.once(Events.GuildCreate, (g) => resolve(g.name)));
    world.standIn.addGuild({ name: 'Second' });
    await expect(joined).resolves.toBe('Second');
    expect(world.standIn.internalErrors).toEqual([]);
  });

  it('resumes after a dropped connection and replays what the client missed', async () => {
    const world = await setup();
    const { client: c } = await login(world);
    const resumed = new Promise<void>((resolve) => c.once(Events.ShardResume, () => resolve()));

    world.standIn.disconnectClients(4000);
    const late = world.standIn.addChannel(world.guildId, { name: 'added-while-away' });
    await resumed;

    expect(c.channels.cache.get(late.id)?.toString()).toBe(`<#${late.id}>`);
    expect(world.standIn.identifyPayloads).toHaveLength(1);
    expect(world.standIn.connectedClients).toBe(1);
  });

  it('deduplicates channel.send with enforceNonce from the discord.js client', async () => {
    const world = await setup();
    const { client: c } = await login(world);
    const channel = c.channels.cache.get(world.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');

    const first = await channel.send({ content: 'article', nonce: 'feed1:42', enforceNonce: true });
    const second = await channel.send({ content: 'article', nonce: 'feed1:42', enforceNonce: true });

    expect(second.id).toBe(first.id);
    expect(world.standIn.messages(world.channelId)).toHaveLength(1);
    expect(world.standIn.messages(world.channelId)[0]?.enforce_nonce).toBe(true);
  });

  it('rejects a wrong token with 401', async () => {
    const world = await setup();
    const bad = new REST({ api: world.standIn.apiUrl }).setToken('bm90LWEtYm90.xxxx.yyyy');
    const error = await bad.get(Routes.user('@me')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).status).toBe(401);
  });
});

describe('interactions', () => {
  it('delivers a slash command and collects a direct reply', async () => {
    const world = await setup();
    const { errors } = await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'ping') return;
      const word = interaction.options.getString('word', true);
      expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
      await interaction.reply({ content: `pong ${word}`, flags: MessageFlags.Ephemeral });
    });

    const handle = world.standIn.dispatchSlashCommand({ channelId: world.channelId, name: 'ping', options: { word: 'hi' } });
    const reply = await handle.reply();

    expect(reply).toMatchObject({ type: 4, deferred: false, content: 'pong hi', ephemeral: true });
    expect(world.standIn.messages(world.channelId)).toHaveLength(0); // ephemeral: not in history
    expect(errors).toEqual([]);
  });

  it('collects a deferred reply once editReply arrives', async () => {
    const world = await setup();
    const { errors } = await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await sleep(30);
      const message = await interaction.editReply({
        content: 'done',
        embeds: [new EmbedBuilder().setTitle('Feeds').setDescription('2 subscriptions')],
        allowedMentions: { parse: [] },
      });
      expect(message.content).toBe('done');
    });

    const reply = await world.standIn
      .dispatchSlashCommand({ channelId: world.channelId, name: 'feed', subcommand: 'list', permissions: PermissionFlagsBits.ManageGuild })
      .reply();

    expect(reply.type).toBe(5);
    expect(reply.deferred).toBe(true);
    expect(reply.content).toBe('done');
    expect(reply.embeds).toEqual([{ title: 'Feeds', description: '2 subscriptions' }]);
    expect(reply.ephemeral).toBe(false);
    expect(world.standIn.messages(world.channelId).map((m) => m.content)).toEqual(['done']);
    await sleep(20);
    expect(errors).toEqual([]);
  });

  it('types record-style options from the registered command and resolves channels and roles', async () => {
    const world = await setup();
    const role = world.standIn.addRole(world.guildId, { name: 'ARMY', mentionable: true });
    await world.rest.put(Routes.applicationGuildCommands(world.standIn.applicationId, world.guildId), {
      body: [
        {
          name: 'feed',
          description: 'Manage feeds',
          options: [
            {
              type: 1,
              name: 'add',
              description: 'Subscribe a channel',
              options: [
                { type: 3, name: 'url', description: 'Feed URL', required: true },
                { type: 7, name: 'channel', description: 'Where to post', required: true },
                { type: 8, name: 'role', description: 'Who to ping' },
              ],
            },
          ],
        },
      ],
    });
    await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const channel = interaction.options.getChannel('channel', true);
      const pinged = interaction.options.getRole('role');
      await interaction.reply(
        `${interaction.options.getSubcommand()} ${interaction.options.getString('url', true)} → #${channel.name} @${pinged?.name}`,
      );
    });

    const reply = await world.standIn
      .dispatchSlashCommand({
        channelId: world.channelId,
        name: 'feed',
        subcommand: 'add',
        options: { url: 'https://example.com/rss', channel: world.channelId, role: role.id },
      })
      .reply();

    expect(reply.content).toBe('add https://example.com/rss → #news @ARMY');
  });

  it('answers autocomplete with the choices the bot responds', async () => {
    const world = await setup();
    await login(world, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused();
      const artists = ['BLACKPINK', 'BTS', 'NewJeans', 'SEVENTEEN'];
      await interaction.respond(
        artists.filter((a) => a.toLowerCase().startsWith(typed.toLowerCase())).map((a) => ({ name: a, value: a })),
      );
    });

    const choices = await world.standIn
      .dispatchAutocomplete({ channelId: world.channelId, name: 'artist', options: { name: 'b' }, focused: 'name' })
      .choices();

    expect(choices).toEqual([
      { name: 'BLACKPINK', value: 'BLACKPINK' },
      { name: 'BTS', value: 'BTS' },
    ]);
  });

  it('routes a button press and collects the update', async () => {
    const world = await setup();
    await login(world, async (interaction) => {
      if (!interaction.isButton()) return;
      await interaction.update({ content: `removed ${interaction.customId}`, components: [] });
    });

    const reply = await world.standIn.dispatchComponent({ channelId: world.channelId, customId: 'feed:remove:1' }).reply();

    expect(reply).toMatchObject({ type: 7, content: 'removed feed:remove:1', components: [] });
  });

  it('enforces the callback deadline: a late reply gets 10062 and the handle says why', async () => {
    const world = await setup({ interactionDeadlineMs: 150 });
    const { errors } = await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await sleep(250);
      await interaction.reply('too late');
    });

    const handle = world.standIn.dispatchSlashCommand({ channelId: world.channelId, name: 'slow' });
    await expect(handle.reply()).rejects.toThrow(/no initial response within 150 ms/);
    await sleep(200);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect((errors[0] as DiscordAPIError).code).toBe(10062);
  });

  it('turns the first follow-up after a defer into the reply, later ones into new messages', async () => {
    const world = await setup();
    const { errors } = await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.followUp('first');
      await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
    });

    const handle = world.standIn.dispatchSlashCommand({ channelId: world.channelId, name: 'feed' });
    const reply = await handle.reply();
    expect(reply).toMatchObject({ type: 5, content: 'first', ephemeral: true });
    await expect.poll(() => handle.followUps().map((m) => m.content)).toEqual(['second']);
    expect(errors).toEqual([]);
  });

  it('hands an attachment option to the bot, which can download it', async () => {
    const world = await setup();
    await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const attachment = interaction.options.getAttachment('file', true);
      const imported = (await (await fetch(attachment.url)).json()) as { feeds: string[] };
      await interaction.reply(`imported ${imported.feeds.length} from ${attachment.name}`);
    });

    const reply = await world.standIn
      .dispatchSlashCommand({
        channelId: world.channelId,
        name: 'import',
        attachments: { file: { name: 'feeds.json', data: '{"feeds":["a","b"]}', contentType: 'application/json' } },
      })
      .reply();

    expect(reply.content).toBe('imported 2 from feeds.json');
  });

  it('stores files sent with a reply so a test can read the export back', async () => {
    const world = await setup();
    await login(world, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = new AttachmentBuilder(Buffer.from(JSON.stringify({ feeds: ['https://example.com/rss'] })), {
        name: 'feeds.json',
      });
      await interaction.reply({ content: 'export', files: [file] });
    });

    const reply = await world.standIn.dispatchSlashCommand({ channelId: world.channelId, name: 'export' }).reply();

    expect(reply.files.map((f) => f.name)).toEqual(['feeds.json']);
    expect(reply.files[0]?.json()).toEqual({ feeds: ['https://example.com/rss'] });
    const download = await fetch(reply.attachments[0]!.url);
    expect(await download.json()).toEqual({ feeds: ['https://example.com/rss'] });
  });
});

describe('REST limits and failures', () => {
  it('rejects an over-long embed with 50035 and says where', async () => {
    const world = await setup();
    const error = await world.rest
      .post(Routes.channelMessages(world.channelId), { body: { embeds: [{ description: 'x'.repeat(4097) }] } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    const apiError = error as DiscordAPIError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe(50035);
    expect(JSON.stringify(apiError.rawError)).toContain('BASE_TYPE_MAX_LENGTH');
    expect(world.standIn.messages()).toHaveLength(0);
  });

  it('counts characters as code points and the 6000 total across embeds', async () => {
    const world = await setup();
    await expect(
      world.rest.post(Routes.channelMessages(world.channelId), { body: { content: '💜'.repeat(2000) } }),
    ).resolves.toMatchObject({ content: '💜'.repeat(2000) });
    const embeds = [1, 2].map(() => ({ description: 'y'.repeat(3001) }));
    await expect(world.rest.post(Routes.channelMessages(world.channelId), { body: { embeds } })).rejects.toMatchObject({
      code: 50035,
    });
  });

  it('returns the first message again for a repeated nonce with enforce_nonce', async () => {
    const world = await setup();
    const body = { content: 'new article', nonce: 'sub1:article42', enforce_nonce: true, allowed_mentions: { parse: [] } };
    const first = (await world.rest.post(Routes.channelMessages(world.channelId), { body })) as { id: string };
    const second = (await world.rest.post(Routes.channelMessages(world.channelId), { body })) as { id: string };

    expect(second.id).toBe(first.id);
    const stored = world.standIn.messages(world.channelId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ content: 'new article', nonce: 'sub1:article42', allowed_mentions: { parse: [] } });
    expect(stored[0]?.pings).toEqual({ everyone: false, roles: [], users: [] });
  });

  it('lets @discordjs/rest wait out an injected 429 and create the message once', async () => {
    const world = await setup();
    world.standIn.injectFailures('POST /channels/:id/messages', [{ status: 429, retryAfter: 0.1 }]);
    const started = Date.now();

    await world.rest.post(Routes.channelMessages(world.channelId), { body: { content: 'after the wait' } });

    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(world.standIn.requestsMatching('POST /channels/:id/messages').map((r) => r.status)).toEqual([429, 200]);
    expect(world.standIn.messages(world.channelId)).toHaveLength(1);
  });

  it('surfaces an injected 403 as a DiscordAPIError without retrying', async () => {
    const world = await setup();
    world.standIn.injectFailures(/\/channels\/\d+\/messages$/, [{ status: 403, code: 50013 }]);

    const error = await world.rest
      .post(Routes.channelMessages(world.channelId), { body: { content: 'x' } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).status).toBe(403);
    expect((error as DiscordAPIError).code).toBe(50013);
    expect(world.standIn.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('answers from the permission model: 403 50013 without Send Messages, 404 10003 for a deleted channel', async () => {
    const world = await setup();
    world.standIn.setBotCanPost(world.channelId, false);
    await expect(world.rest.post(Routes.channelMessages(world.channelId), { body: { content: 'x' } })).rejects.toMatchObject({
      status: 403,
      code: 50013,
    });
    world.standIn.removeChannel(world.channelId);
    await expect(world.rest.post(Routes.channelMessages(world.channelId), { body: { content: 'x' } })).rejects.toMatchObject({
      status: 404,
      code: 10003,
    });
  });

  it('retries a 5xx and enforces the per-channel bucket through rate-limit headers', async () => {
    const world = await setup({ messageRateLimit: { limit: 2, windowMs: 200 } });
    world.standIn.injectFailures({ method: 'POST', path: '/channels/:id/messages' }, [{ status: 500 }]);
    const started = Date.now();

    for (let i = 0; i < 3; i++) {
      await world.rest.post(Routes.channelMessages(world.channelId), { body: { content: `post ${i}` } });
    }

    // The third post waited for the bucket to reset instead of being refused.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    const statuses = world.standIn.requestsMatching('POST /channels/:id/messages').map((r) => r.status);
    expect(statuses).toEqual([500, 200, 200, 200]);
    expect(world.standIn.messages(world.channelId).map((m) => m.content)).toEqual(['post 0', 'post 1', 'post 2']);

    // A client that ignores the headers gets the 429 itself.
    const raw = await Promise.all(
      [0, 1, 2].map(() =>
        fetch(`${world.standIn.apiUrl}/v10/channels/${world.channelId}/messages`, {
          method: 'POST',
          headers: { Authorization: `Bot ${world.standIn.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ content: 'burst' }),
        }),
      ),
    );
    const limited = raw.find((r) => r.status === 429);
    expect(limited?.headers.get('x-ratelimit-scope')).toBe('user');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('drops the connection on request: @discordjs/rest does not retry that itself', async () => {
    const world = await setup();
    world.standIn.injectFailures('POST /channels/*/messages', [{ resetConnection: true }]);

    await expect(world.rest.post(Routes.channelMessages(world.channelId), { body: { content: 'x' } })).rejects.toThrow(
      /other side closed/,
    );
    expect(world.standIn.messages()).toHaveLength(0);
  });

  it('counts 401/403/429 answers towards the invalid-request budget and refuses non-text channels', async () => {
    const world = await setup();
    const category = world.standIn.addChannel(world.guildId, { name: 'Feeds', type: 4 });
    await expect(world.rest.post(Routes.channelMessages(category.id), { body: { content: 'x' } })).rejects.toMatchObject({
      status: 400,
      code: 50008,
    });
    world.standIn.injectFailures('GET /channels/:id', [{ status: 429, scope: 'shared', retryAfter: 0.01 }, { status: 403, code: 50001 }]);
    await expect(world.rest.get(Routes.channel(world.channelId))).rejects.toMatchObject({ status: 403, code: 50001 });

    expect(world.standIn.invalidRequestCount).toBe(1); // the shared-scope 429 does not count
  });

  it('stores valid commands and rejects an invalid name with 50035', async () => {
    const world = await setup();
    const route = Routes.applicationGuildCommands(world.standIn.applicationId, world.guildId);
    const stored = (await world.rest.put(route, {
      body: [{ name: 'feed', description: 'Manage feeds', default_member_permissions: '32', options: [] }],
    })) as { id: string; name: string }[];

    expect(stored.map((c) => c.name)).toEqual(['feed']);
    expect(world.standIn.commands(world.guildId)[0]?.id).toBe(stored[0]?.id);
    await expect(
      world.rest.put(route, { body: [{ name: 'Bad Name', description: 'x' }] }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
  });
});
