namespace Fieldline.Routing.Search;

// xoshiro256** seeded by SplitMix64: fast, and the same sequence on every platform and runtime version, which
// System.Random does not promise. Every random decision of the searches draws from one of these.
internal sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(long seed)
    {
        var x = (ulong)seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    // Uniform in [0, 1).
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    // Uniform in [0, n).
    public int Next(int n) => (int)((NextULong() >> 33) * (ulong)n >> 31);

    // Uniform in [lo, hi] inclusive.
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
