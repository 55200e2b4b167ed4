/** A one-line progress bar on stderr, redrawn in place (audit --live's probes); only for a terminal. */
export function progressBar(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  return (done, total) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} servers probed`);
    if (done === total) stream.write("\n");
  };
}
