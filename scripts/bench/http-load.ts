import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { now } from './measure';

export interface LoadPlan {
  port: number;
  /** Request targets, taken in turn. */
  paths: readonly string[];
  headers: Record<string, string>;
  clients: number;
  seconds: number;
}

export interface LoadResult {
  /** Milliseconds per request, request written to response read. */
  samples: number[];
  /** Responses other than 200, by status. */
  failures: Map<number, number>;
  elapsedS: number;
  /** CPU this process spent generating the load, in seconds: on two cores it is taken from the server. */
  clientCpuS: number;
}

/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets, in the spirit of wrk: each client
 * writes one GET, reads one response, and writes the next. Node's own client (fetch or http.request)
 * spent ~0.35 ms of CPU per request here, two thirds of a core at 2,000 requests/s, taken from the
 * server it was measuring on this 2-core machine; this one parses only what it needs (status,
 * Content-Length, or the end of a chunked body).
 */
export async function loadHttp(plan: LoadPlan): Promise<LoadResult> {
  const head = Object.entries({ host: `127.0.0.1:${plan.port}`, ...plan.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const requests = plan.paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\n${head}\r\n`, 'latin1'));
  const samples: number[] = [];
  const failures = new Map<number, number>();
  const cpu0 = process.cpuUsage();
  const started = now();
  const end = started + plan.seconds * 1000;
  await Promise.all(Array.from({ length: plan.clients }, (_, n) => client(plan.port, n, plan.clients, requests, end, samples, failures)));
  const cpu = process.cpuUsage(cpu0);
  return { samples, failures, elapsedS: (now() - started) / 1000, clientCpuS: (cpu.user + cpu.system) / 1e6 };
}

function client(port: number, first: number, step: number, requests: Buffer[], end: number, samples: number[], failures: Map<number, number>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let i = first;
    let sentAt = 0;
    let pending: Buffer = Buffer.alloc(0);
    const send = () => {
      if (now() >= end) {
        socket.end();
        resolve();
        return;
      }
      sentAt = now();
      socket.write(requests[i % requests.length]!);
      i += step;
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const headText = pending.subarray(0, headEnd).toString('latin1');
      const total = responseEnd(pending, headEnd, headText);
      if (total === undefined) return;
      samples.push(now() - sentAt);
      const status = Number(headText.slice(9, 12));
      if (status !== 200) failures.set(status, (failures.get(status) ?? 0) + 1);
      pending = pending.subarray(total);
      send();
    });
  });
}

const CHUNKED_END = '\r\n0\r\n\r\n';

/** Where the response that starts `pending` ends, once all of it has arrived. */
function responseEnd(pending: Buffer, headEnd: number, headText: string): number | undefined {
  const length = /\r\ncontent-length: *(\d+)/i.exec(headText);
  if (length) {
    const total = headEnd + 4 + Number(length[1]);
    return pending.length >= total ? total : undefined;
  }
  // Chunked: the zero-length chunk ends it (no trailers are sent to these requests).
  const last = pending.indexOf(CHUNKED_END, headEnd + 2);
  return last < 0 ? undefined : last + CHUNKED_END.length;
}
