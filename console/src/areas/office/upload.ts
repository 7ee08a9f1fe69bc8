/**
 * Uploads with progress: `fetch` cannot report how much of a request body has left, XMLHttpRequest can
 * (`upload.onprogress`). The file goes as multipart/form-data straight from the disk (the browser streams it; the
 * gateway and docs-svc stream it on to storage), with the session's token in the header, never in the address.
 *
 * No Idempotency-Key: the gateway would have to hold the body to compare a retry with it. A lost answer is seen
 * in the folder's list instead.
 */
import { ensureAccessToken } from "../../api/session";
import { ProblemError } from "../../api/http";
import type { Problem } from "../../api/problems";

export interface UploadHandle<T> {
  done: Promise<T>;
  abort: () => void;
}

/** Posts `form` to `path`, calling `onProgress` with the fraction sent (0 to 1). */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const done = ensureAccessToken().then(
    (token) =>
      new Promise<T>((resolve, reject) => {
        xhr.open("POST", path);
        xhr.setRequestHeader("Accept", "application/json, application/problem+json");
        if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
        xhr.upload.onprogress = (event) => {
          if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
        };
        xhr.onload = () => {
          let body: unknown = null;
          try {
            body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
          } catch {
            body = null;
          }
          if (xhr.status >= 200 && xhr.status < 300) {
            onProgress(1);
            resolve(body as T);
            return;
          }
          const problem =
            body && typeof body === "object"
              ? ({ ...(body as object), status: xhr.status } as Problem)
              : ({ status: xhr.status, detail: xhr.statusText || `HTTP ${xhr.status}` } as Problem);
          reject(new ProblemError(problem));
        };
        xhr.onerror = () =>
          reject(new ProblemError({ status: 0, detail: "The gateway cannot be reached: check the network and try again." }));
        xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
        xhr.send(form);
      }),
  );
  return { done, abort: () => xhr.abort() };
}

/** The positions of `highlights` in `text` as pieces: `[text, marked]`, in order, for a `<mark>` each. */
export function markedPieces(text: string, highlights: { start: number; end: number }[]): [string, boolean][] {
  const sorted = [...highlights].sort((a, b) => a.start - b.start);
  const pieces: [string, boolean][] = [];
  let at = 0;
  for (const { start, end } of sorted) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) pieces.push([text.slice(at, start), false]);
    pieces.push([text.slice(start, end), true]);
    at = end;
  }
  if (at < text.length) pieces.push([text.slice(at), false]);
  return pieces;
}

/** A folder list as a tree: each folder's children by path, roots first. */
export interface FolderNode<F extends { id: string; parent_id: string | null; path: string; name: string }> {
  folder: F;
  children: FolderNode<F>[];
}

export function folderTree<F extends { id: string; parent_id: string | null; path: string; name: string }>(
  folders: F[],
): FolderNode<F>[] {
  const nodes = new Map(folders.map((f) => [f.id, { folder: f, children: [] as FolderNode<F>[] }]));
  const roots: FolderNode<F>[] = [];
  for (const node of [...nodes.values()].sort((a, b) => a.folder.path.localeCompare(b.folder.path))) {
    const parent = node.folder.parent_id ? nodes.get(node.folder.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
