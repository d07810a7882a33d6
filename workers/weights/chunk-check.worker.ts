// The worker side of chunk-check.ts: one request, every chunk of its files read back and checked.
import { allIntact, type ChunkCheckReply, type ChunkCheckRequest } from './chunk-check';

const post = (reply: ChunkCheckReply) => self.postMessage(reply);

self.onmessage = ({ data }: MessageEvent<ChunkCheckRequest>) => {
  allIntact(data.files).then(
    (intact) => post({ intact }),
    (error: unknown) => post({ error: String(error) }),
  );
};
