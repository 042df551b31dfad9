using System.Data;
using System.Linq.Expressions;
using System.Reflection;
using Fieldline.Web.Features.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>
/// What lets the database count a period's figures by the branch's local day: a stored time as milliseconds since
/// 1970-01-01 UTC (<see cref="Ms"/>, translated per provider), so that a day is <c>(Ms(at) + offset) / DayMs</c> and a
/// duration <c>Ms(b) - Ms(a)</c> — integer arithmetic both SQLite and PostgreSQL do the same way. The offset is the
/// branch's zone's; a period the zone's offset changes in (summer time) is read in spans of one offset each
/// (<see cref="Spans"/>), so a 23:59 order is the day's and a 00:01 order the next day's in every zone.
/// </summary>
public static class KpiSql
{
    public const long DayMs = 86_400_000;

    /// <summary>1970-01-01's <see cref="DateOnly.DayNumber"/>.</summary>
    public const int UnixEpochDay = 719_162;

    /// <summary>A stored time as milliseconds since 1970-01-01 UTC (null stays null). In queries only.</summary>
    public static long? Ms(DateTimeOffset? at) => throw new InvalidOperationException("KpiSql.Ms is translated to SQL; it is not called in the process.");

    /// <summary>The local day a bucket's day number stands for.</summary>
    public static DateOnly Day(long? unixDay) => DateOnly.FromDayNumber((int)(unixDay ?? 0) + UnixEpochDay);

    /// <summary>
    /// Lets the context's queries use <see cref="Ms"/>. The translation is a query service added to the options, not a
    /// function of the model, so that the model can be compiled (<c>scripts/compile-models.sh</c>). SQLite stores a time
    /// as <c>DateTimeOffsetToBinaryConverter</c>'s <c>(ticks / 1000) &lt;&lt; 11 | offset minutes</c> with offset 0
    /// (every stored time is UTC), so ms since year 1 is the value ÷ 20480; PostgreSQL's timestamptz gives its epoch
    /// seconds.
    /// </summary>
    public static DbContextOptionsBuilder UseKpiSql(this DbContextOptionsBuilder options, bool sqlite)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new TranslationExtension(sqlite));
        return options;
    }

    private static SqlExpression SqliteMs(SqlExpression at)
    {
        var integer = new LongTypeMapping("INTEGER", DbType.Int64);
        return new SqlBinaryExpression(ExpressionType.Subtract,
            new SqlBinaryExpression(ExpressionType.Divide, at, new SqlConstantExpression(20480L, integer), typeof(long), integer),
            new SqlConstantExpression(62_135_596_800_000L, integer), typeof(long), integer);
    }

    private static SqlExpression PostgresMs(SqlExpression at)
    {
        var bigint = new LongTypeMapping("bigint", DbType.Int64);
        var dbl = new DoubleTypeMapping("double precision", DbType.Double);
        var text = new StringTypeMapping("text", DbType.String);
        return new SqlUnaryExpression(ExpressionType.Convert,
            new SqlFunctionExpression("floor",
                [new SqlBinaryExpression(ExpressionType.Multiply,
                    new SqlFunctionExpression("date_part", [new SqlConstantExpression("epoch", text), at], true, [false, true], typeof(double), dbl),
                    new SqlConstantExpression(1000d, dbl), typeof(double), dbl)],
                true, [true], typeof(double), dbl),
            typeof(long), bigint);
    }

    private sealed class Translator(bool sqlite) : IMethodCallTranslator, IMethodCallTranslatorPlugin
    {
        private static readonly MethodInfo MsMethod = typeof(KpiSql).GetMethod(nameof(Ms))!;

        public IEnumerable<IMethodCallTranslator> Translators => [this];

        public SqlExpression? Translate(SqlExpression? instance, MethodInfo method, IReadOnlyList<SqlExpression> arguments,
            IDiagnosticsLogger<DbLoggerCategory.Query> logger) =>
            method != MsMethod ? null : sqlite ? SqliteMs(arguments[0]) : PostgresMs(arguments[0]);
    }

    private sealed class TranslationExtension(bool sqlite) : IDbContextOptionsExtension
    {
        public DbContextOptionsExtensionInfo Info => field ??= new ExtensionInfo(this, sqlite);

        public void ApplyServices(IServiceCollection services) =>
            services.AddSingleton<IMethodCallTranslatorPlugin>(new Translator(sqlite));

        public void Validate(IDbContextOptions options) { }

        private sealed class ExtensionInfo(IDbContextOptionsExtension extension, bool sqlite) : DbContextOptionsExtensionInfo(extension)
        {
            private bool Sqlite => sqlite;
            public override bool IsDatabaseProvider => false;
            public override string LogFragment => "KpiSql ";
            public override int GetServiceProviderHashCode() => sqlite ? 1 : 2;
            public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
                other is ExtensionInfo o && o.Sqlite == sqlite;
            public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
                debugInfo["KpiSql:Sqlite"] = sqlite.ToString();
        }
    }

    /// <summary>One stretch of a period with one UTC offset of the branch's zone: [Start, End) and the offset in ms.</summary>
    public sealed record Span(DateTimeOffset Start, DateTimeOffset End, long OffsetMs);

    /// <summary>
    /// The local days [from, to) as UTC ranges of one offset each: one span in a zone without summer time (Asia/Shanghai),
    /// more where the offset changes inside the period.
    /// </summary>
    public static IReadOnlyList<Span> Spans(TimeZoneInfo zone, DateOnly from, DateOnly to)
    {
        var start = SlaMath.At(from, TimeOnly.MinValue, zone);
        var end = SlaMath.At(to, TimeOnly.MinValue, zone);
        var spans = new List<Span>();
        var spanStart = start;
        var offset = zone.GetUtcOffset(start);
        var t = start;
        while (t < end)
        {
            if (zone.GetUtcOffset(t) != offset)
            {
                // The offset changed exactly where the last day's probe ended.
                spans.Add(new Span(spanStart, t, (long)offset.TotalMilliseconds));
                spanStart = t;
                offset = zone.GetUtcOffset(t);
            }
            var step = t.AddDays(1) < end ? t.AddDays(1) : end;
            var last = step.AddTicks(-1);
            if (zone.GetUtcOffset(last) == offset)
            {
                t = step;
                continue;
            }
            // The offset changes in (t, last]: find the first second of the new one.
            long lo = t.UtcTicks, hi = last.UtcTicks;
            while (hi - lo > TimeSpan.TicksPerSecond)
            {
                var mid = lo + (hi - lo) / 2;
                if (zone.GetUtcOffset(new DateTimeOffset(mid, TimeSpan.Zero)) == offset) lo = mid; else hi = mid;
            }
            var change = new DateTimeOffset((lo / TimeSpan.TicksPerSecond + 1) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
            if (zone.GetUtcOffset(change) == offset) change = change.AddSeconds(1);
            spans.Add(new Span(spanStart, change, (long)offset.TotalMilliseconds));
            spanStart = change;
            offset = zone.GetUtcOffset(change);
            t = change;
        }
        spans.Add(new Span(spanStart, end, (long)offset.TotalMilliseconds));
        return spans;
    }
}
