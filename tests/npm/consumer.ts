// Type-checked with `tsc --noEmit`: the package's declarations must be precise (no `any`).
import {
  KinlinkClient, isKinlinkError, type Status, type Config, type ServerState, type KinlinkError,
  type ChatCompletion, type ChatCompletionChunk, type ChatCompletionStream, type Model,
  type HistoryEntry, type Page,
} from "kinlink";

async function main(): Promise<void> {
  const client = new KinlinkClient("http://127.0.0.1:8080", "key", { maxRetries: 1, timeoutMs: 5000 });
  const controller = new AbortController();
  const status: Status = await client.kino.status({ signal: controller.signal });
  // Fields the server may omit are optional in the declarations (the SDK fills defaults at run time).
  const version: string | undefined = status.version;
  const state: ServerState | undefined = status.status;
  const config: Config = await client.kino.config();
  const port: number | undefined = config.listen_port;

  // @ts-expect-error: version is a string, not a number
  const wrong: number | undefined = status.version;
  // @ts-expect-error: unknown option
  new KinlinkClient("http://x", "k", { retries: 3 });

  try {
    await client.kino.config();
  } catch (error: unknown) {
    if (isKinlinkError(error)) {
      const e: KinlinkError = error;
      const kind: "unauthorized" | string = e.kind;
      const httpStatus: number | null = e.status;
      console.log(kind, httpStatus);
    }
  }
  const updated: Config = await client.kino.updateConfig({ auto_search_interval: 30 });
  // @ts-expect-error: the API key cannot be changed through a config update
  await client.kino.updateConfig({ api_key: "x" });
  const page: Page<HistoryEntry> = await client.kino.history({ limit: 10 });
  for await (const entry of client.kino.historyAll({ limit: 50, event_types: ["config_changed"] })) {
    const e: HistoryEntry = entry;
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
}

void main();
