import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { Intent, type StandInState } from './state.ts';

export const GatewayOp = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

export const GatewayClose = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
} as const;

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
}

interface Session {
  ws: WebSocket;
  seq: number;
  identified: boolean;
  intents: number;
  sessionId?: string;
  identifiedAt?: number;
  heartbeats: number;
  /** Dispatches produced while the connection was gone, replayed on RESUME. */
  missed: { event: string; data: unknown }[];
}

/** What a test can observe about one gateway connection. */
export interface GatewaySessionInfo {
  identified: boolean;
  intents: number;
  sessionId?: string;
  heartbeats: number;
}

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Identified sessions whose socket dropped; a RESUME with their id picks them up again. */
  private readonly detached = new Map<string, Session>();
  private readonly readyWaiters = new Set<() => void>();
  /** Every IDENTIFY payload received, for tests asserting on intents or presence. */
  readonly identifies: Record<string, unknown>[] = [];

  constructor(
    private readonly state: StandInState,
    private readonly options: GatewayOptions,
    private readonly gatewayUrl: () => string,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  get connectedClients(): number {
    return [...this.sessions].filter((s) => s.identified && s.ws.readyState === WebSocket.OPEN).length;
  }

  sessionsInfo(): GatewaySessionInfo[] {
    return [...this.sessions].map((s) => ({
      identified: s.identified,
      intents: s.intents,
      heartbeats: s.heartbeats,
      ...(s.sessionId === undefined ? {} : { sessionId: s.sessionId }),
    }));
  }

  /** Resolves once some client has identified and received READY (and its guilds). */
  waitForReady(timeoutMs = 5_000): Promise<void> {
    if (this.connectedClients > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters.delete(done);
        reject(new Error(`Discord stand-in: no client identified on the gateway within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.add(done);
    });
  }

  dispatch(event: string, data: unknown, requiredIntent: number): void {
    const wants = (s: Session): boolean => requiredIntent === 0 || (s.intents & requiredIntent) !== 0;
    for (const session of this.sessions) {
      if (session.identified && wants(session)) this.sendDispatch(session, event, data);
    }
    for (const session of this.detached.values()) {
      if (wants(session)) session.missed.push({ event, data });
    }
  }

  /** Interactions go to one session only, as Discord routes each to a single shard. */
  sendInteraction(payload: Record<string, unknown>): boolean {
    const target = [...this.sessions]
      .filter((s) => s.identified && s.ws.readyState === WebSocket.OPEN)
      .sort((a, b) => (b.identifiedAt ?? 0) - (a.identifiedAt ?? 0))[0];
    if (!target) return false;
    this.sendDispatch(target, 'INTERACTION_CREATE', payload);
    return true;
  }

  /**
   * Closes every connection with `code` so tests can exercise reconnects.
   * Sessions stay resumable unless `resumable` is false, which forces a new IDENTIFY
   * (and @discordjs/ws then waits out its 5-second identify window).
   */
  disconnectAll(code: number = GatewayClose.UnknownError, resumable = true): void {
    for (const session of [...this.sessions]) {
      if (!resumable) session.identified = false;
      session.ws.close(code, 'stand-in disconnect');
    }
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.ws.terminate();
    this.sessions.clear();
    this.detached.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    const session: Session = { ws, seq: 0, identified: false, intents: 0, heartbeats: 0, missed: [] };
    this.sessions.add(session);
    ws.on('message', (data, isBinary) => this.onMessage(session, data, isBinary));
    ws.on('close', (code) => {
      this.sessions.delete(session);
      // Closing with 1000/1001 ends a session on Discord too; anything else may be resumed.
      if (session.identified && session.sessionId && code !== 1000 && code !== 1001) {
        this.detached.set(session.sessionId, session);
      }
    });
    ws.on('error', () => this.sessions.delete(session));
    this.send(session, { op: GatewayOp.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  private onMessage(session: Session, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      session.ws.close(GatewayClose.DecodeError, 'Error while decoding payload.');
      return;
    }
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(rawToString(data)) as { op?: unknown; d?: unknown };
    } catch {
      session.ws.close(GatewayClose.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case GatewayOp.Heartbeat:
        session.heartbeats += 1;
        this.send(session, { op: GatewayOp.HeartbeatAck });
        return;
      case GatewayOp.Identify:
        this.identify(session, payload.d);
        return;
      case GatewayOp.Resume:
        this.resume(session, payload.d);
        return;
      case GatewayOp.PresenceUpdate:
      case GatewayOp.VoiceStateUpdate:
      case GatewayOp.RequestGuildMembers:
        if (!session.identified) session.ws.close(GatewayClose.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        session.ws.close(GatewayClose.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private identify(session: Session, d: unknown): void {
    if (session.identified) {
      session.ws.close(GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    const identify = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    this.identifies.push(identify);
    const token = typeof identify.token === 'string' ? identify.token.replace(/^Bot\s+/i, '') : '';
    if (token !== this.options.token) {
      session.ws.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    session.identified = true;
    session.intents = typeof identify.intents === 'number' ? identify.intents : 0;
    session.sessionId = randomBytes(16).toString('hex');
    session.identifiedAt = Date.now();

    const guilds = [...this.state.guilds.values()];
    this.sendDispatch(session, 'READY', {
      v: 10,
      user: { ...this.state.userToApi(this.state.botUser), verified: true, mfa_enabled: false },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl(),
      shard: Array.isArray(identify.shard) ? identify.shard : [0, 1],
      application: { id: this.state.applicationId, flags: 0 },
      user_settings: {},
      relationships: [],
      private_channels: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });

    // Without the Guilds intent Discord never sends these; the client then stops waiting on its own.
    if ((session.intents & Intent.Guilds) !== 0) {
      for (const guild of guilds) this.sendDispatch(session, 'GUILD_CREATE', this.state.guildCreatePayload(guild));
    }
    this.notifyReady();
  }

  private notifyReady(): void {
    for (const waiter of [...this.readyWaiters]) {
      this.readyWaiters.delete(waiter);
      waiter();
    }
  }

  private resume(session: Session, d: unknown): void {
    const resume = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    const token = typeof resume.token === 'string' ? resume.token.replace(/^Bot\s+/i, '') : '';
    if (token !== this.options.token) {
      session.ws.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const previous = typeof resume.session_id === 'string' ? this.detached.get(resume.session_id) : undefined;
    if (!previous) {
      this.send(session, { op: GatewayOp.InvalidSession, d: false });
      return;
    }
    this.detached.delete(previous.sessionId ?? '');
    session.identified = true;
    session.intents = previous.intents;
    session.seq = previous.seq;
    session.identifiedAt = Date.now();
    if (previous.sessionId !== undefined) session.sessionId = previous.sessionId;
    for (const { event, data } of previous.missed) this.sendDispatch(session, event, data);
    this.sendDispatch(session, 'RESUMED', {});
    this.notifyReady();
  }

  private sendDispatch(session: Session, event: string, data: unknown): void {
    // A socket that is closing may still be resumed; keep the event for the replay.
    if (session.ws.readyState !== WebSocket.OPEN) {
      if (session.identified) session.missed.push({ event, data });
      return;
    }
    session.seq += 1;
    this.send(session, { op: GatewayOp.Dispatch, t: event, s: session.seq, d: data });
  }

  private send(session: Session, payload: Record<string, unknown>): void {
    if (session.ws.readyState !== WebSocket.OPEN) return;
    // Dispatches need `t`/`s` and everything else `null` ones, as Discord sends them.
    session.ws.send(JSON.stringify({ t: null, s: null, d: null, ...payload }));
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
