// What the board's map costs on every board redraw: ShowDispatchMap.ForBoard (where each technician was last seen on
// site, where today's orders are) against a branch with 10k … 1M past orders with check-ins, beside the same position
// lookup written as raw SQL (the database's own limit), and both again without the (TechnicianId, CheckedInAt) index.
//   dotnet run -c Release --project bench/Fieldline.Bench.Map -- --provider=Sqlite --sizes=10000,100000,1000000 --techs=40
using System.Data.Common;
using System.Diagnostics;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Maps;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var config = new ConfigurationBuilder().AddCommandLine(args).Build();
var provider = config["provider"] ?? "Sqlite";
var sizes = (config["sizes"] ?? "10000,100000,1000000").Split(',').Select(int.Parse).ToArray();
var techCount = int.Parse(config["techs"] ?? "40");
var reps = int.Parse(config["reps"] ?? "30");
Console.WriteLine($"provider={provider} techs={techCount} reps={reps} cores={Environment.ProcessorCount} os={Environment.OSVersion}");
// mapMs: ShowDispatchMap.ForBoard (median of reps, each in a fresh scope as a request would be); boardMs: ShowBoard itself,
// for scale; rawMs: the position lookup alone as one hand-written SQL statement; the noIndex columns after dropping the index.
Console.WriteLine("pastOrders\ttechs\tboardMs\tmapMs\trawMs\tnoIndexMapMs\tnoIndexRawMs\tload");

foreach (var n in sizes)
{
    var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));
    var dbName = $"mapbench_{n}";
    var settings = new Dictionary<string, string?> { ["Database:Provider"] = provider };
    if (provider == "Postgres") settings["ConnectionStrings:Postgres"] = $"{config["postgres"]};Database={dbName}";
    else
    {
        var file = Path.Combine(Path.GetTempPath(), $"{dbName}.db");
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        settings["ConnectionStrings:Sqlite"] = $"Data Source={file}";
    }
    var appConfig = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    await using var services = new ServiceCollection()
        .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true))
        .AddSingleton<TimeProvider>(clock)
        .AddSingleton<IConfiguration>(appConfig)
        .AddAppDb(appConfig)
        .AddScoped<BranchZones>()
        .AddPolicyFeature()
        .AddSingleton(new MapOptions())
        .AddScoped<ShowBoard>().AddScoped<ShowDispatchMap>()
        .BuildServiceProvider();
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.EnsureDeletedAsync();
        await db.Database.MigrateAsync();
    }
    var sw = Stopwatch.StartNew();
    var (user, branchId) = await Seed(services, provider, clock, n, techCount);
    Console.Error.WriteLine($"  seeded {n:N0} past orders for {techCount} technicians in {sw.Elapsed.TotalSeconds:0.0} s");

    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "-";
    var (board, map, raw) = await Measure(services, user, branchId, reps);
    await using (var scope = services.CreateAsyncScope())
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync("DROP INDEX \"IX_WorkOrders_TechnicianId_CheckedInAt\"");
    var (_, mapNoIndex, rawNoIndex) = await Measure(services, user, branchId, Math.Max(3, reps / 10));
    Console.WriteLine($"{n}\t{techCount}\t{board:0.00}\t{map:0.00}\t{raw:0.00}\t{mapNoIndex:0.00}\t{rawNoIndex:0.00}\t{load}");

    await using (var scope = services.CreateAsyncScope())
        if (provider == "Postgres") await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureDeletedAsync();
}

// Medians of: the board, the map for that board, and the raw position lookup. Three unmeasured rounds first (JIT, caches).
static async Task<(double Board, double Map, double Raw)> Measure(IServiceProvider services, CurrentUser user, int branchId, int reps)
{
    var (boards, maps, raws) = (new List<double>(), new List<double>(), new List<double>());
    for (var rep = -3; rep < reps; rep++)
    {
        await using var scope = services.CreateAsyncScope();
        var t = Stopwatch.StartNew();
        var board = await scope.ServiceProvider.GetRequiredService<ShowBoard>().Handle(user, branchId, default);
        var boardMs = t.Elapsed.TotalMilliseconds;
        t.Restart();
        var map = await scope.ServiceProvider.GetRequiredService<ShowDispatchMap>().ForBoard(user, board, default);
        var mapMs = t.Elapsed.TotalMilliseconds;
        if (map.Technicians.Count(x => x.Position is not null) != map.Technicians.Count) throw new InvalidOperationException("a technician has no position");
        t.Restart();
        var found = await RawPositions(scope.ServiceProvider.GetRequiredService<AppDbContext>(), branchId);
        var rawMs = t.Elapsed.TotalMilliseconds;
        if (found != map.Technicians.Count) throw new InvalidOperationException($"raw lookup found {found} positions");
        if (rep < 0) continue;
        boards.Add(boardMs); maps.Add(mapMs); raws.Add(rawMs);
    }
    static double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }
    return (Median(boards), Median(maps), Median(raws));
}

// The position lookup as one hand-written statement: for each technician, the row of their latest on-site check-in.
static async Task<int> RawPositions(AppDbContext db, int branchId)
{
    var connection = db.Database.GetDbConnection();
    if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
    await using DbCommand command = connection.CreateCommand();
    command.CommandText = $"""
        SELECT o."Id", o."CheckInLat", o."CheckInLng", o."CheckedInAt" FROM "Technicians" t
        JOIN "WorkOrders" o ON o."Id" = (SELECT w."Id" FROM "WorkOrders" w WHERE w."TechnicianId" = t."Id" AND w."CheckedInAt" IS NOT NULL ORDER BY w."CheckedInAt" DESC LIMIT 1)
        WHERE t."BranchId" = {branchId}
        """;
    var rows = 0;
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync()) rows++;
    return rows;
}

// A branch with <techs> technicians and <n> completed orders spread over them, each checked in a minute before the next
// (two templates walked through the real lifecycle, then copied in SQL: the fast way to a million rows).
static async Task<(CurrentUser, int)> Seed(IServiceProvider services, string provider, ManualClock clock, int n, int techs)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    db.Database.SetCommandTimeout(900);
    await scope.ServiceProvider.GetRequiredService<ManagePolicy>().EnsureSeeded("generic", default);
    var branch = new Branch { Name = "bench", ParentId = null };
    db.Branches.Add(branch);
    await db.SaveChangesAsync();
    var dispatcher = new User { UserName = "dispatcher", DisplayName = "d", BranchId = branch.Id, Roles = [Roles.Dispatcher] };
    var users = Enumerable.Range(0, techs).Select(i => new User { UserName = $"t{i}", DisplayName = $"技师{i}", BranchId = branch.Id, Roles = [Roles.Technician] }).ToList();
    db.Users.Add(dispatcher);
    db.Users.AddRange(users);
    await db.SaveChangesAsync();
    var technicians = users.Select(u => new Technician { UserId = u.Id, BranchId = branch.Id, Skills = ["ac.repair"], HomeLat = 28.19, HomeLng = 112.98 }).ToList();
    db.Technicians.AddRange(technicians);
    var customer = new Customer { BranchId = branch.Id, Name = "c", Phone = "13800000000", Address = "a", Lat = 28.2, Lng = 112.9, CreatedAt = clock.GetUtcNow() };
    db.Customers.Add(customer);
    await db.SaveChangesAsync();
    var policy = await db.PolicyVersions.OrderBy(p => p.Id).FirstAsync();
    var now = clock.GetUtcNow();
    WorkOrder Done(string code, int tech, DateTimeOffset checkedIn)
    {
        var order = new WorkOrder
        {
            Code = code, BranchId = branch.Id, PolicyVersionId = policy.Id, CustomerId = customer.Id, ProductLine = "ac", ContactPerson = "c",
            ContactPhone = "13800000000", Address = "a", Lat = 28.2, Lng = 112.9, CreatedAt = checkedIn.AddHours(-3),
        };
        var actor = new Actor(null, "bench", Roles.Technician);
        order.Dispatch(tech, actor, checkedIn.AddHours(-2));
        order.Accept(actor, checkedIn.AddHours(-2));
        order.Contact(true, checkedIn, checkedIn.AddHours(1), null, actor, checkedIn.AddHours(-1));
        order.CheckIn(28.2, 112.9, actor, checkedIn);
        order.Complete(new Completion("ok", null, null, 30, null, null, [], []), actor, checkedIn.AddHours(1));
        return order;
    }
    var a = Done("T-A", technicians[0].Id, now.AddDays(-1));
    var b = Done("T-B", technicians[0].Id, now.AddDays(-1).AddMinutes(-1));
    db.WorkOrders.AddRange(a, b);
    await db.SaveChangesAsync();

    // Copies of A: technician i % techs, checked in i minutes earlier than A, codes H-i.
    var columns = db.Model.FindEntityType(typeof(WorkOrder))!.GetProperties().Where(p => p.Name != "Id").Select(p => p.GetColumnName()).ToList();
    string Expr(string column) => column switch
    {
        "Code" => "'H-' || i",
        "TechnicianId" => $"{technicians[0].Id} + (i % {techs})",
        "CheckedInAt" => provider == "Postgres" ? "o.\"CheckedInAt\" - i * interval '1 minute'" : $"o.\"CheckedInAt\" - i * ({Raw(db, a.Id)} - {Raw(db, b.Id)})",
        _ => $"o.\"{column}\"",
    };
    var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
    var select = string.Join(", ", columns.Select(Expr));
    var sql = provider == "Postgres"
        ? $"INSERT INTO \"WorkOrders\" ({list}) SELECT {select} FROM \"WorkOrders\" o, generate_series(1, {n}) i WHERE o.\"Id\" = {a.Id}"
        : $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) INSERT INTO \"WorkOrders\" ({list}) SELECT {select} FROM \"WorkOrders\" o, s WHERE o.\"Id\" = {a.Id}";
    await db.Database.ExecuteSqlRawAsync(sql);
    if (provider == "Postgres") await db.Database.ExecuteSqlRawAsync("ANALYZE \"WorkOrders\"");
    return (new CurrentUser(dispatcher.Id, dispatcher.UserName, branch.Id, false, [Roles.Dispatcher]), branch.Id);
}

// The stored value of an order's check-in time (SQLite keeps DateTimeOffset as a sortable integer): two of them a minute
// apart give the step to subtract in SQL.
static long Raw(AppDbContext db, long orderId)
{
    var connection = db.Database.GetDbConnection();
    if (connection.State != System.Data.ConnectionState.Open) connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = $"SELECT \"CheckedInAt\" FROM \"WorkOrders\" WHERE \"Id\" = {orderId}";
    return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
}
