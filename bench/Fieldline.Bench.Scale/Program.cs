// Issue 14 benchmarks, driven by bench/scale.sh against a running Fieldline (a separate process, as a client sees it):
//   raw-sqlite <file> <seconds>                      durable insert+commit, one writer (WAL, synchronous=FULL): the disk's limit
//   write <url> <clients> <seconds>                  POST /api/work-orders (with Idempotency-Key) from N clients: rate, p50, p99, errors
//   lifecycle <url> <clients> <seconds>              each client: create → dispatch → accept → contact, per action: rate, p50, p99, errors
//   grow <Sqlite|Postgres> <connection> <orders>     copies the demo company's orders (closed, with timelines and clocks) up to N orders
//   reads <url> <runs>                               the median of each read: list, next page, overdue, phone, name, board, Today, a board change, the export
//   grow <Sqlite|Postgres> <connection> <orders> <days>   the same, the copies spread evenly over that many days back (bench/reports.sh)
//   reports <url> <runs>                             issue 19: the dashboard, the KPI API and the monthly GM report (RPT-03) built, medians
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fieldline.Bench.Scale;

return args switch
{
    ["raw-sqlite", var file, var seconds] => Raw.Sqlite(file, int.Parse(seconds)),
    ["write", var url, var clients, var seconds] => await Load.Creates(url, int.Parse(clients), int.Parse(seconds)),
    ["lifecycle", var url, var clients, var seconds] => await Lifecycle.Run(url, int.Parse(clients), int.Parse(seconds)),
    ["grow", var provider, var cs, var orders] => await Grow.To(provider, cs, int.Parse(orders)),
    ["grow", var provider, var cs, var orders, var days] => await Grow.To(provider, cs, int.Parse(orders), double.Parse(days, System.Globalization.CultureInfo.InvariantCulture)),
    ["reports", var url, var runs] => await ReportReads.Time(url, int.Parse(runs)),
    ["reads", var url, var runs] => await Reads.Time(url, int.Parse(runs)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: raw-sqlite <file> <s> | write <url> <clients> <s> | grow <Sqlite|Postgres> <cs> <orders> [days] | reads <url> <runs> | reports <url> <runs>");
    return 2;
}

namespace Fieldline.Bench.Scale
{
    internal static class Raw
    {
        /// <summary>What the disk allows: one row inserted and committed durably, again and again, by one writer.</summary>
        public static int Sqlite(string file, int seconds)
        {
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}");
            c.Open();
            using (var setup = c.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, at INTEGER, body TEXT);";
                setup.ExecuteNonQuery();
            }
            using var insert = c.CreateCommand();
            insert.CommandText = "INSERT INTO t (code, at, body) VALUES ($c, $a, $b)";
            var pc = insert.Parameters.Add("$c", Microsoft.Data.Sqlite.SqliteType.Text);
            var pa = insert.Parameters.Add("$a", Microsoft.Data.Sqlite.SqliteType.Integer);
            var pb = insert.Parameters.Add("$b", Microsoft.Data.Sqlite.SqliteType.Text);
            var n = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                using var tx = c.BeginTransaction();
                insert.Transaction = tx;
                pc.Value = $"WO-20261126-{n:0000}"; pa.Value = n; pb.Value = "空调不制冷,室外机不转,客户下午在家";
                insert.ExecuteNonQuery();
                tx.Commit();
                n++;
            }
            Console.WriteLine($"raw-sqlite\t1\t{n / watch.Elapsed.TotalSeconds:0}/s");
            return 0;
        }
    }

    internal static class Api
    {
        public static async Task<HttpClient> SignIn(string url, string user, int connections = 64)
        {
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(url) };
            var token = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = Environment.GetEnvironmentVariable("FIELDLINE_PASSWORD") ?? "Fieldline-2026" });
            token.EnsureSuccessStatusCode();
            var access = (await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
            return http;
        }
    }

    internal static class Load
    {
        /// <summary>N clerks creating orders for the demo customers as fast as the server answers.</summary>
        public static async Task<int> Creates(string url, int clients, int seconds)
        {
            using var http = await Api.SignIn(url, "clerk", clients);
            var customers = (await http.GetFromJsonAsync<JsonObject>("/api/customers?pageSize=200"))!["items"]!.AsArray()
                .Select(c => (Id: c!["id"]!.GetValue<int>(), Serial: c["products"]?.AsArray().FirstOrDefault()?["serialNumber"]?.GetValue<string>()))
                .Where(c => c.Serial is not null).ToList();
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var slow = new System.Collections.Concurrent.ConcurrentBag<(double At, double Ms)>(); // when the tail happened
            var errors = 0;
            var codes = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
            var stop = Stopwatch.StartNew();
            async Task Clerk(int n)
            {
                var i = n;
                while (stop.Elapsed.TotalSeconds < seconds)
                {
                    var (id, serial) = customers[i++ % customers.Count];
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/work-orders")
                    {
                        Content = JsonContent.Create(new { type = "repair", channel = "hotline", customerId = id, productSerial = serial, faultDescription = "不制冷", priority = "normal" }),
                    };
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                    var t = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(request);
                    await response.Content.LoadIntoBufferAsync();
                    var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    latencies.Add(ms);
                    if (ms > 250) slow.Add((stop.Elapsed.TotalSeconds, ms));
                    codes.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                    if ((int)response.StatusCode != 201) Interlocked.Increment(ref errors);
                }
            }
            await Task.WhenAll(Enumerable.Range(0, clients).Select(Clerk));
            if (Environment.GetEnvironmentVariable("FIELDLINE_BENCH_TAIL") is not null)
                foreach (var g in slow.GroupBy(x => Math.Floor(x.At * 10) / 10).OrderBy(g => g.Key))
                    Console.Error.WriteLine($"  t={g.Key:0.0}s: {g.Count()} answers over 250 ms, slowest {g.Max(x => x.Ms):0} ms");
            var elapsed = stop.Elapsed.TotalSeconds;
            var sorted = latencies.Order().ToList();
            double P(double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
            Console.WriteLine($"create\t{clients}\t{sorted.Count / elapsed:0}/s\tp50 {P(0.5):0.0} ms\tp99 {P(0.99):0.0} ms\terrors {errors} of {sorted.Count}\t{string.Join(" ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}");
            return 0;
        }
    }

    /// <summary>The clerk's, the dispatcher's and the technicians' steps of a job, each client working its own orders.</summary>
    internal static class Lifecycle
    {
        public static async Task<int> Run(string url, int clients, int seconds)
        {
            using var clerk = await Api.SignIn(url, "clerk", clients);
            using var dispatcher = await Api.SignIn(url, "dispatcher", clients);
            var customers = (await clerk.GetFromJsonAsync<JsonObject>("/api/customers?pageSize=200"))!["items"]!.AsArray()
                .Select(c => (Id: c!["id"]!.GetValue<int>(), Product: c["products"]?.AsArray().FirstOrDefault()))
                .Where(c => c.Product is not null)
                .Select(c => (c.Id, Serial: c.Product!["serialNumber"]!.GetValue<string>(), Line: c.Product["productLine"]!.GetValue<string>())).ToList();
            var listed = JsonNode.Parse(await dispatcher.GetStringAsync("/api/technicians"))!;
            var all = (listed is JsonArray a ? a : listed["items"]!.AsArray()).Select(t => (Id: t!["id"]!.GetValue<int>(), User: t["username"]!.GetValue<string>(),
                Skills: t["skills"]!.AsArray().Select(k => k!.GetValue<string>()).ToHashSet())).ToList();
            var techs = new List<(int Id, HttpClient Http, HashSet<string> Skills)>();
            foreach (var (id, user, skills) in all)
            {
                var eligible = JsonNode.Parse(await dispatcher.GetStringAsync($"/api/technicians/{id}/eligibility"))!["eligible"]?.GetValue<bool>() == true;
                if (eligible) techs.Add((id, await Api.SignIn(url, user, clients), skills));
            }
            if (techs.Count == 0) { Console.Error.WriteLine("no eligible technician"); return 1; }
            var actions = new[] { "create", "dispatch", "accept", "contact" };
            var latencies = actions.ToDictionary(a => a, _ => new System.Collections.Concurrent.ConcurrentBag<double>());
            var codes = actions.ToDictionary(a => a, _ => new System.Collections.Concurrent.ConcurrentDictionary<int, int>());
            var expected = new Dictionary<string, int> { ["create"] = 201, ["dispatch"] = 200, ["accept"] = 200, ["contact"] = 200 };
            var tomorrow = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(1);
            var refusals = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(); // the first of each kind, shown
            var stop = Stopwatch.StartNew();
            async Task<JsonNode?> Step(string action, HttpClient http, string path, object body)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                var t = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                latencies[action].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                codes[action].AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                if ((int)response.StatusCode == expected[action]) return JsonNode.Parse(text);
                if (refusals.TryAdd(action + (int)response.StatusCode, text)) Console.Error.WriteLine($"{action} {(int)response.StatusCode}: {text}");
                return null;
            }
            async Task Client(int n)
            {
                var (techId, tech, skills) = techs[n % techs.Count];
                var mine = customers.Where(c => skills.Contains(c.Line + ".repair")).ToList(); // the jobs this technician may be sent
                var i = n;
                while (stop.Elapsed.TotalSeconds < seconds)
                {
                    var (customer, serial, _) = mine[i++ % mine.Count];
                    var order = await Step("create", clerk, "/api/work-orders", new { type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷", priority = "normal" });
                    if (order is null) continue;
                    var id = order["id"]!.GetValue<long>();
                    if (await Step("dispatch", dispatcher, $"/api/work-orders/{id}/dispatch", new { technicianId = techId }) is null) continue;
                    if (await Step("accept", tech, $"/api/work-orders/{id}/accept", new { }) is null) continue;
                    var start = new DateTimeOffset(tomorrow.AddHours(9 + i % 8), TimeSpan.FromHours(8));
                    await Step("contact", tech, $"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start, end = start.AddHours(2) } });
                }
            }
            await Task.WhenAll(Enumerable.Range(0, clients).Select(Client));
            var elapsed = stop.Elapsed.TotalSeconds;
            foreach (var action in actions)
            {
                var sorted = latencies[action].Order().ToList();
                double P(double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
                var errors = sorted.Count - codes[action].GetValueOrDefault(expected[action]);
                Console.WriteLine($"{action}\t{clients}\t{sorted.Count / elapsed:0}/s\tp50 {P(0.5):0.0} ms\tp99 {P(0.99):0.0} ms\terrors {errors} of {sorted.Count}\t{string.Join(" ", codes[action].OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}");
            }
            foreach (var (_, http, _) in techs) http.Dispose();
            return 0;
        }
    }

    internal static class Reads
    {
        public static async Task<int> Time(string url, int runs)
        {
            using var api = await Api.SignIn(url, "dispatcher");
            var orders = (await api.GetFromJsonAsync<JsonObject>("/api/work-orders?pageSize=50"))!;
            var next = orders["next"]!.GetValue<string>();
            var some = orders["items"]!.AsArray()[0]!;
            var phone = some["contactPhone"]?.GetValue<string>() ?? "13974000001";
            var name = some["customerName"]!.GetValue<string>()[..1];
            var open = (await api.GetFromJsonAsync<JsonObject>("/api/work-orders?status=new&pageSize=1"))!["items"]!.AsArray().FirstOrDefault()?["id"]?.GetValue<long>();
            using var console = await Console(url);
            var reads = new (string Name, HttpClient Client, string Path)[]
            {
                ("list", api, "/api/work-orders?pageSize=50"),
                ("next page", api, $"/api/work-orders?pageSize=50&after={next}"),
                ("overdue", api, "/api/work-orders?overdue=true&pageSize=50"),
                ("phone", api, $"/api/work-orders?q={phone}"),
                ("name", api, $"/api/work-orders?q={Uri.EscapeDataString(name)}&pageSize=50"),
                ("board json", api, "/api/dispatch/board"),
                ("today", api, "/api/dispatch/today"),
                ("board page", console, "/board"),
                ("board change", console, $"/board?handler=Change&orderId={open}"),
            };
            await Print(reads, runs);
            var watch = Stopwatch.StartNew();
            using var export = await api.GetAsync("/api/work-orders/export.xlsx", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await export.Content.ReadAsStreamAsync();
            var size = 0L;
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) size += read;
            System.Console.WriteLine($"export (all)\t{watch.Elapsed.TotalMilliseconds:0}\t{size}");
            return 0;
        }

        /// <summary>Each read <paramref name="runs"/> times: a line with its median and the bytes of its answer (any refusal stops the run).</summary>
        public static async Task Print(IEnumerable<(string Name, HttpClient Client, string Path)> reads, int runs)
        {
            System.Console.WriteLine("read\tmedian ms\tbytes");
            foreach (var (name, client, path) in reads)
            {
                var times = new List<double>();
                long bytes = 0;
                for (var i = 0; i < runs; i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    using var response = await client.GetAsync(path);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
                    bytes = body.Length;
                }
                System.Console.WriteLine($"{name}\t{Median(times):0.0}\t{bytes}");
            }
        }

        public static double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);

        /// <summary>The console's cookie session, as a dispatcher's (or <paramref name="user"/>'s) browser has it (the board page and its live changes).</summary>
        internal static async Task<HttpClient> Console(string url, string user = "dispatcher")
        {
            var http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
            var login = await http.GetStringAsync("/login");
            var token = System.Text.RegularExpressions.Regex.Match(login, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var posted = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = user, ["password"] = Environment.GetEnvironmentVariable("FIELDLINE_PASSWORD") ?? "Fieldline-2026", ["__RequestVerificationToken"] = token,
            }));
            if ((int)posted.StatusCode >= 400) throw new InvalidOperationException($"console sign-in failed: {(int)posted.StatusCode}");
            return http;
        }
    }
}
