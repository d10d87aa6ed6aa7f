namespace Parley.Benchmarks.Support;

/// <summary>
/// Hands out indexes into a pool of prepared states, one per benchmark invocation, and fails loudly when the pool
/// runs out: measuring a reused (already consumed) state would measure something else.
/// </summary>
public sealed class Cursor(int capacity)
{
    private int _next;

    public void Reset() => _next = 0;

    public int Next() => _next < capacity
        ? _next++
        : throw new InvalidOperationException($"The pool of {capacity} prepared states is exhausted; raise the pool size.");
}
