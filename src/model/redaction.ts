// The one length every masking layer agrees on: secrets shorter than this are never replaced textually (masking
// every "ab" would wreck a report), so the stages must never copy them into what they return.
export const MIN_SCRUB_LENGTH = 4;
