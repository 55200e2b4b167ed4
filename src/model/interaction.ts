// What an engine may ask of whoever runs it. src/cli answers on the terminal (a hidden prompt, a progress bar);
// tests and other callers leave out what they cannot do, and then nothing is asked and nothing is drawn.
export interface Interaction {
  /** Reads a secret (a key passphrase) without echo; absent where nobody can type one. */
  askSecret?(question: string): Promise<string>;
  /** Progress of a long step, done of total (audit --live's probes). */
  progress?(done: number, total: number): void;
}
