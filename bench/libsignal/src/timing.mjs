// Repeated timed batches, reported as the median time per operation (the counterpart of the BenchmarkDotNet job in
// bench/Parley.Benchmarks: warm-up batches, then measured batches; state-consuming operations get a fixed batch size
// and have their state rebuilt before each batch, outside the clock).

export const defaults = Object.freeze({ warmupBatches: 3, measuredBatches: 15, batchMillis: 200 });

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timeBatch(operation, count) {
  if (operation.prepare !== undefined) {
    await operation.prepare(count);
  }
  globalThis.gc?.();
  const run = operation.run;
  const start = process.hrtime.bigint();
  if (operation.sync) {
    for (let i = 0; i < count; i++) {
      run(i);
    }
  } else {
    for (let i = 0; i < count; i++) {
      await run(i);
    }
  }
  return Number(process.hrtime.bigint() - start) / count;
}

/** Batch size: the operation's fixed one, else doubled until a batch takes about `batchMillis`. */
async function batchSize(operation, options) {
  if (operation.batch !== undefined) {
    return operation.batch;
  }
  let count = 1;
  for (;;) {
    const nsPerOp = await timeBatch(operation, count);
    const elapsedMillis = (nsPerOp * count) / 1e6;
    if (elapsedMillis >= options.batchMillis / 4 || count >= 1 << 22) {
      return Math.max(1, Math.round((options.batchMillis * 1e6) / nsPerOp));
    }
    count *= 2;
  }
}

/** Measures one operation: {medianNs, minNs, maxNs, batch, batches, samplesNs}. */
export async function measure(operation, options = defaults) {
  const count = await batchSize(operation, options);
  for (let i = 0; i < options.warmupBatches; i++) {
    await timeBatch(operation, count);
  }
  const samples = [];
  for (let i = 0; i < options.measuredBatches; i++) {
    samples.push(await timeBatch(operation, count));
  }
  return {
    medianNs: median(samples),
    minNs: Math.min(...samples),
    maxNs: Math.max(...samples),
    batch: count,
    batches: samples.length,
    samplesNs: samples,
  };
}
