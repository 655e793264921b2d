// Type-checked with `tsc --noEmit`: the package's declarations must be precise (no `any`).
import {
  KinlinkClient, isKinlinkError, type KinlinkError,
  type ChatCompletion, type ChatCompletionChunk, type ChatCompletionStream, type Model,
  type KinoApi, type Movie, type Page, type History, type ContentStatus, type StatusResponse,
  type ServerStatus, type ConfigResponse, type ConfigUpdate, type ErrorBody,
  type PlayPrepareReply, type BytesResponse, type CreateMovie, type FormPart, type RestoreReply,
  type KinBot,
} from "kinlink";

async function main(): Promise<void> {
  const client = new KinlinkClient("http://127.0.0.1:8080", "key", { maxRetries: 1, timeoutMs: 5000 });
  const controller = new AbortController();
  const status: StatusResponse = await client.kino.system.getStatus({ signal: controller.signal });
  // Required keys are not optional: the declarations say what the server always sends.
  const version: string = status.version;
  const state: ServerStatus = status.status;
  const config: ConfigResponse = await client.kino.config.get();
  const port: number = config.listen_port;

  // @ts-expect-error: version is a string, not a number
  const wrong: number = status.version;
  // @ts-expect-error: Kino's status has no uptime
  console.log(status.uptime_seconds);
  // @ts-expect-error: unknown option
  new KinlinkClient("http://x", "k", { retries: 3 });

  try {
    await client.kino.config.get();
  } catch (error: unknown) {
    if (isKinlinkError(error)) {
      const e: KinlinkError = error;
      const kind: "unauthorized" | string = e.kind;
      const httpStatus: number | null = e.status;
      console.log(kind, httpStatus);
    }
  }
  const update: ConfigUpdate = { auto_search_interval: 30 };
  const updated: ConfigResponse = await client.kino.config.update(update);
  // @ts-expect-error: a config update takes known fields only
  await client.kino.config.update({ auto_search_intervall: 30 });
  const page: Page<History> = await client.kino.history.list({ limit: 10 });
  for await (const entry of client.kino.history.listAll({ limit: 50, event_types: "config_changed" })) {
    const e: History = entry;
    console.log(e.event_type, page.next_cursor, updated.id);
  }
  const models: Model[] = await client.models.list();
  const completion: ChatCompletion = await client.chat.completions.create({
    model: models[0]?.id ?? "sandbox-echo",
    messages: [{ role: "user", content: "hi" }],
    temperature: 0.2,
  });
  const stream: ChatCompletionStream = await client.chat.completions.create({
    model: "sandbox-echo",
    messages: [{ role: "system", content: "be brief" }, { role: "user", content: [{ type: "text", text: "hi" }] }],
    stream: true,
    stream_options: { include_usage: true },
  }, { signal: controller.signal });
  for await (const chunk of stream) {
    const c: ChatCompletionChunk = chunk;
    const delta: string | null | undefined = c.choices?.[0]?.delta?.content;
    console.log(delta);
  }
  const final: ChatCompletion = await stream.finalCompletion();
  // @ts-expect-error: a role must be one of the known ones
  await client.chat.completions.create({ model: "m", messages: [{ role: "robot", content: "x" }] });
  console.log(version, state, port, wrong, completion, final);
  await generated(client);
  await kinbot(client);
}

// KinBot's generated methods: its schemas live in the KinBot namespace, apart from Kino's.
async function kinbot(client: KinlinkClient): Promise<void> {
  const api: KinBot.KinBotApi = client.kinbot;
  const list: KinBot.KinList = await api.kins.list();
  for (const kin of list.kins) {
    const created: KinBot.Timestamp = kin.createdAt;
    const when: string | number = created;
    const avatar: string | null = kin.avatarUrl;
    console.log(kin.id, kin.name, when, avatar);
  }
  const sent: KinBot.SendMessageResponse = await api.messages.send("my-kin", { content: "hello" });
  // @ts-expect-error: a message needs its content
  await api.messages.send("my-kin", {});
  await api.miniApps.setStorage("app-1", "greeting", { value: { text: "hi" } });
  // Kino's ErrorBody and KinBot's are different types of the same name.
  const kinoError: ErrorBody = { error: { code: "not_found", message: "m" } };
  const kinbotError: KinBot.ErrorBody = { error: { code: "KIN_NOT_FOUND", message: "m" } };
  console.log(sent, kinoError, kinbotError);
}

// The generated Kino methods: argument and result types follow the contract.
async function generated(client: KinlinkClient): Promise<void> {
  const kino: KinoApi = client.kino;
  const movies: Page<Movie> = await kino.movies.list({ limit: 10, sort: "title" });
  const more: boolean = movies.has_more;
  const next: string | undefined = movies.next_cursor;
  for (const movie of movies.results) {
    // Required keys are not optional; nullable ones admit null.
    const id: number = movie.id;
    const title: string = movie.title;
    const overview: string | null = movie.overview;
    // @ts-expect-error: overview is nullable
    const overviewText: string = movie.overview;
    // @ts-expect-error: id is a number
    const idText: string = movie.id;
    // Enums are open: the listed values complete, any other string is accepted.
    const status: ContentStatus = movie.status;
    const later: ContentStatus = "archived_in_a_later_version";
    // @ts-expect-error: a status is a string
    const numbered: ContentStatus = 3;
    console.log(id, title, overview, overviewText, idText, status, later, numbered);
  }
  for await (const movie of kino.movies.listAll({ limit: 50 })) {
    const m: Movie = movie;
    console.log(m.tmdb_id, more, next);
  }
  const created: Movie = await kino.movies.create({ tmdb_id: 603 } satisfies CreateMovie);
  // @ts-expect-error: create needs a body
  await kino.movies.create();
  // @ts-expect-error: a movie id is a number
  await kino.movies.get("603");
  // @ts-expect-error: movies.list has no such query parameter
  await kino.movies.list({ limitt: 5 });
  const removed: void = await kino.movies.delete(created.id);

  const status: StatusResponse = await kino.system.getStatus();
  const installKind: string | null = status.install_kind;
  // @ts-expect-error: install_kind is required, so never undefined, but it may be null
  const installed: string = status.install_kind;
  const history: Page<History> = await kino.history.list({ limit: 5, event_type: "config_changed" });
  for await (const entry of kino.history.listAll({ limit: 5 })) {
    const data: string | null = entry.data;
    console.log(data, history.results.length);
  }
  const prepared: PlayPrepareReply | null = await kino.playback.prepare("movie", created.id);
  const poster: BytesResponse = await kino.images.get("movie", created.id, "poster");
  const bytes: Uint8Array = poster.body;
  const socket: string = kino.websocket.url();
  const parts: FormPart[] = [{ name: "file", data: new Uint8Array([1]), filename: "b.tar.gz", contentType: "application/gzip" }];
  const restored: RestoreReply = await kino.backups.restoreUpload(parts);
  // @ts-expect-error: a form is a list of parts, not raw bytes
  await kino.backups.restoreUpload(new Uint8Array([1]));
  console.log(restored.ok);
  console.log(removed, installKind, installed, prepared, bytes, socket);
}

void main();
