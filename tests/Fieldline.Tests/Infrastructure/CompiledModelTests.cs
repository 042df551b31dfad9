using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Fieldline.Tests.Infrastructure;

/// <summary>
/// The app runs on EF Core's compiled models (Infrastructure/Data/Compiled), generated from the model in code by
/// <c>scripts/compile-models.sh</c>. A model change without regenerating them would run on the old model: these tests
/// fail until the compiled model describes the same tables, columns, keys, indexes and relationships as the code.
/// </summary>
public class CompiledModelTests
{
    [Fact]
    public void The_SQLite_compiled_model_matches_the_model_in_code()
    {
        using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options);
        AssertSame(db);
    }

    [Fact]
    public void The_PostgreSQL_compiled_model_matches_the_model_in_code()
    {
        using var db = new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=127.0.0.1;Database=none").Options);
        AssertSame(db);
    }

    private static void AssertSame(AppDbContext db)
    {
        var compiled = db.Model;
        Assert.True(compiled is Microsoft.EntityFrameworkCore.Metadata.RuntimeModel && compiled.GetType() != typeof(RuntimeModel),
            "The context does not run on a compiled model: run scripts/compile-models.sh.");
        var code = Describe(db.GetService<IDesignTimeModel>().Model);
        var run = Describe(compiled);
        var first = code.Zip(run).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
        Assert.True(code.Count == run.Count && first.p == default,
            $"The compiled model differs from the model in code (run scripts/compile-models.sh). First difference:\n code:     {(first.p == default ? "(count)" : first.p.First)}\n compiled: {(first.p == default ? "(count)" : first.p.Second)}");
    }

    /// <summary>Everything about the model that reaches the database or a query, one line per fact, in a stable order.</summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var e in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            lines.Add($"{e.Name} table={e.GetTableName()} filter={e.GetDeclaredQueryFilters().Count} owned={e.IsOwned()}");
            foreach (var p in e.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
                lines.Add($"  {p.Name} {p.ClrType.Name} null={p.IsNullable} column={p.GetColumnName()} store={p.GetRelationalTypeMapping().StoreType} " +
                          $"converter={p.GetTypeMapping().Converter?.GetType().Name} token={p.IsConcurrencyToken} generated={p.ValueGenerated} max={p.GetMaxLength()}");
            foreach (var k in e.GetKeys().OrderBy(k => k.GetName(), StringComparer.Ordinal))
                lines.Add($"  key {k.GetName()} ({string.Join(",", k.Properties.Select(p => p.Name))}) primary={k.IsPrimaryKey()}");
            foreach (var i in e.GetIndexes().OrderBy(i => i.GetDatabaseName(), StringComparer.Ordinal))
                lines.Add($"  index {i.GetDatabaseName()} ({string.Join(",", i.Properties.Select(p => p.Name))}) unique={i.IsUnique} filter={i.GetFilter()}");
            foreach (var f in e.GetForeignKeys().OrderBy(f => f.GetConstraintName(), StringComparer.Ordinal))
                lines.Add($"  fk {f.GetConstraintName()} ({string.Join(",", f.Properties.Select(p => p.Name))}) -> {f.PrincipalEntityType.Name} delete={f.DeleteBehavior} required={f.IsRequired}");
            foreach (var n in e.GetNavigations().OrderBy(n => n.Name, StringComparer.Ordinal))
                lines.Add($"  navigation {n.Name} -> {n.TargetEntityType.Name} collection={n.IsCollection}");
        }
        return lines;
    }
}
