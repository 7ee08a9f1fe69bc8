/**
 * The bodies of what an agent sends on a ticket. The two composers of the ticket screen each have their own
 * function and type: the note's body is always `internal: true` and takes no canned response, so nothing the
 * note composer builds can be a public reply (composer.test.ts).
 */

/** A public reply: the requester reads it. */
export interface ReplyBody {
  body: string;
  internal: false;
}

/** An internal note: only the agents of the ticket read it. */
export interface NoteBody {
  body: string;
  internal: true;
}

export function replyBody(text: string): ReplyBody {
  return { body: text, internal: false };
}

export function noteBody(text: string): NoteBody {
  return { body: text, internal: true };
}
