// Type-checked with `tsc --noEmit`: the package's declarations must be precise (no `any`).
import { KinlinkClient, isKinlinkError, type Status, type Config, type ServerState, type KinlinkError } from "kinlink";

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
  console.log(version, state, port, wrong);
}

void main();
