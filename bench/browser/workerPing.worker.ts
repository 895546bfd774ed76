/** The bare postMessage echo the lockstep bench measures against (no Comlink, no work): the physical limit. */
export {};

declare const self: { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };

self.onmessage = (event) => self.postMessage(event.data);
