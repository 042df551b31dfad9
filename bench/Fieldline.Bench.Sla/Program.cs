using Fieldline.Web.Features.Policy;
// The SLA timer benchmark: N open clocks in the database, D of them due; one tick must find and handle the due ones
// with an indexed query, so its time should stay flat in N and grow with D.
//   dotnet run -c Release --project bench/Fieldline.Bench.Sla -- --provider=Sqlite --sizes=10000,100000,1000000 --due=1000
using System.Diagnostics;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
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
var due = int.Parse(config["due"] ?? "1000");
var reps = int.Parse(config["reps"] ?? "5");
// Warm-up ticks per size, not measured. The timer runs in a long-lived process, but a fresh one pays for JIT tiering
// (done on background threads, counted in cpuMs) for a while: whichever size came first measured slowest. So the
// process first warms up on a small database of its own (not reported) with three times the ticks.
var warmup = int.Parse(config["warmup"] ?? "10");
Console.WriteLine($"provider={provider} due={due} reps={reps} warmup={warmup} cores={Environment.ProcessorCount} os={Environment.OSVersion}");
// cpuMs: this process's CPU time per tick (median), steadier than wall time when other work shares the machine;
// load: the 1-minute load average when the size started (Linux), to say how busy the machine was.
Console.WriteLine("openClocks\tdue\tmedianMs\tminMs\tmaxMs\tcpuMs\tallocMB\tpeakRssMB\tload");

foreach (var (n, report) in sizes.Select(n => (n, true)).Prepend((2 * due + 1, false)))
{
    var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));
    var dbName = report ? $"slabench_{n}" : "slabench_warmup";
    var settings = new Dictionary<string, string?> { ["Database:Provider"] = provider, ["Fieldline:Sla:BatchSize"] = due.ToString() };
    if (provider == "Postgres") settings["ConnectionStrings:Postgres"] = $"{config["postgres"]};Database={dbName}";
    else
    {
        var file = Path.Combine(Path.GetTempPath(), $"{dbName}.db");
        foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        settings["ConnectionStrings:Sqlite"] = $"Data Source={file}";
    }
    var appConfig = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    var services = new ServiceCollection()
        .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Fieldline.Web.Features.Sla.SlaTimer", config["verbose"] == "true" ? LogLevel.Information : LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", config["sql"] == "true" ? LogLevel.Information : LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true))
        .AddSingleton<TimeProvider>(clock)
        .AddSingleton<IConfiguration>(appConfig)
        .AddAppDb(appConfig)
        .AddScoped<BranchZones>()
        .AddPolicyFeature()
        .AddSlaFeature(appConfig)
        .BuildServiceProvider();

    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.EnsureDeletedAsync();
        await db.Database.MigrateAsync();
    }
    var (dueTemplate, laterTemplate) = await Seed(services, clock);
    var sw = Stopwatch.StartNew();
    await Copy(services, provider, laterTemplate, n - due - 1);
    await Copy(services, provider, dueTemplate, due - 1);
    Console.Error.WriteLine($"  seeded {n:N0} clocks in {sw.Elapsed.TotalSeconds:0.0} s{(report ? "" : " (process warm-up, not reported)")}");

    var timer = services.GetRequiredService<SlaTimer>();
    var times = new List<double>();
    var cpu = new List<double>();
    long alloc = 0;
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "-";
    for (var rep = report ? -warmup : -3 * warmup; rep < (report ? reps : 0); rep++)
    {
        await Rearm(services, provider);
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var t = Stopwatch.StartNew();
        var handled = await timer.TickBatch(CancellationToken.None);
        t.Stop();
        var cpuTime = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        if (handled != due) throw new InvalidOperationException($"tick handled {handled}, expected {due}");
        await Written(services, due);
        if (rep < 0) continue;
        times.Add(t.Elapsed.TotalMilliseconds);
        cpu.Add(cpuTime.TotalMilliseconds);
        alloc = Math.Max(alloc, GC.GetTotalAllocatedBytes(true) - before);
    }
    if (report)
    {
        times.Sort();
        cpu.Sort();
        var rss = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
        Console.WriteLine($"{n}\t{due}\t{times[times.Count / 2]:0.0}\t{times[0]:0.0}\t{times[^1]:0.0}\t{cpu[cpu.Count / 2]:0.0}\t{alloc / 1024.0 / 1024.0:0.0}\t{rss:0}\t{load}");
    }
    await using (var scope = services.CreateAsyncScope())
        if (provider == "Postgres") await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureDeletedAsync();
    await services.DisposeAsync();
}

// One branch, customer, order and two template clocks (one due now, one due in a month) written through the real model.
static async Task<(long Due, long Later)> Seed(IServiceProvider services, ManualClock clock)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    await scope.ServiceProvider.GetRequiredService<ManagePolicy>().EnsureSeeded("generic", default);
    var branch = new Branch { Name = "bench" };
    db.Branches.Add(branch);
    await db.SaveChangesAsync();
    var customer = new Customer { BranchId = branch.Id, Name = "c", Phone = "13800000000", Address = "a", CreatedAt = clock.GetUtcNow() };
    db.Customers.Add(customer);
    await db.SaveChangesAsync();
    var policy = await db.PolicyVersions.OrderBy(p => p.Id).FirstAsync();
    var tech = new User { UserName = "benchtech", DisplayName = "t", BranchId = branch.Id, Roles = ["technician"] };
    db.Users.Add(tech);
    await db.SaveChangesAsync();
    var order = new WorkOrder
    {
        Code = "B-1", BranchId = branch.Id, PolicyVersionId = policy.Id, CustomerId = customer.Id, ProductLine = "ac", ContactPerson = "c",
        ContactPhone = "13800000000", Address = "a", CreatedAt = clock.GetUtcNow(),
    };
    db.WorkOrders.Add(order);
    await db.SaveChangesAsync();
    SlaClock Make(DateTimeOffset dueAt) => new()
    {
        WorkOrderId = order.Id, BranchId = branch.Id, Name = Clocks.Completion, RuleId = "CMP-04", StartedAt = dueAt.AddDays(-1), TargetMinutes = 1440,
        CountIn = CountIn.CalendarTime, DueAt = dueAt, NextCheckAt = dueAt, State = ClockState.Running, Warned = true, SevereApplied = true, ResponsibleRole = "technician",
        ResponsibleUserId = tech.Id, PenaltyKey = "orderOverdue",
    };
    var now = clock.GetUtcNow();
    var a = Make(now.AddMinutes(-1));
    var b = Make(now.AddDays(30));
    db.SlaClocks.AddRange(a, b);
    await db.SaveChangesAsync();
    return (a.Id, b.Id);
}

// Copies a template clock <count> times in SQL (the fast way to a million rows).
static async Task Copy(IServiceProvider services, string provider, long templateId, int count)
{
    if (count <= 0) return;
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    db.Database.SetCommandTimeout(600);
    var columns = db.Model.FindEntityType(typeof(SlaClock))!.GetProperties().Where(p => p.Name != "Id").Select(p => $"\"{p.GetColumnName()}\"").ToList();
    var list = string.Join(", ", columns);
    var sql = provider == "Postgres"
        ? $"INSERT INTO \"SlaClocks\" ({list}) SELECT {list} FROM \"SlaClocks\", generate_series(1, {count}) WHERE \"Id\" = {templateId}"
        : $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {count}) INSERT INTO \"SlaClocks\" ({list}) SELECT {list} FROM \"SlaClocks\", s WHERE \"Id\" = {templateId}";
    await db.Database.ExecuteSqlRawAsync(sql);
    if (provider == "Postgres") await db.Database.ExecuteSqlRawAsync("ANALYZE \"SlaClocks\"");
}

// What one tick must have written for the due clocks: a breach, a penalty case and a breach message each.
static async Task Written(IServiceProvider services, int due)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    var (breaches, cases, messages) = (await db.SlaBreaches.CountAsync(), await db.PenaltyCases.CountAsync(c => c.BreachId != null), await db.Outbox.CountAsync(m => m.Kind == "slaBreach"));
    if (breaches != due || cases != due || messages != due)
        throw new InvalidOperationException($"tick wrote {breaches} breaches, {cases} cases, {messages} breach messages; expected {due} each");
}

// Puts the handled clocks back to due and removes what the previous tick wrote, so every repetition does the same work.
static async Task Rearm(IServiceProvider services, string provider)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    await db.PenaltyCases.ExecuteDeleteAsync();
    await db.SlaBreaches.ExecuteDeleteAsync();
    await db.Outbox.ExecuteDeleteAsync();
    await db.EligibilityCounters.ExecuteDeleteAsync();
    await db.SlaClocks.Where(c => c.OverdueAt != null).ExecuteUpdateAsync(u => u.SetProperty(c => c.OverdueAt, (DateTimeOffset?)null).SetProperty(c => c.NextCheckAt, c => c.DueAt));
}
