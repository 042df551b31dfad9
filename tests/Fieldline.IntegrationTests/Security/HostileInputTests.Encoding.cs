using System.IO.Compression;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fieldline.IntegrationTests.Security;

public abstract partial class HostileInputTests
{
    // ---------- 2. stored XSS: every free-text field, rendered encoded on every console page that shows it ----------

    private static readonly string[] Xss =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "'><script>alert(document.cookie)</script>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<a href=\"javascript:alert(1)\">点我</a>",
        "</textarea><script>alert(1)</script>",
        "</title><script>alert(1)</script>",
        "<body onload=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<div hx-get=\"/logout\" hx-trigger=\"load\">x</div>",
        "<form action=\"/logout\" method=\"post\"><button>x</button></form>",
        "<style>*{display:none}</style>",
        "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
        "<svg><script>alert(1)</script></svg>",
        "<object data=\"data:text/html,<script>alert(1)</script>\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://example.invalid\">",
        "<base href=\"https://example.invalid/\">",
        "\" onmouseover=\"alert(1)",
        "' onfocus='alert(1)' autofocus='",
        "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
        "<input value=\"\" autofocus onfocus=alert(1)>",
    ];

    public static TheoryData<int> XssCases => new(Enumerable.Range(0, Xss.Length));

    private sealed record Browser(HttpClient Http, string Token);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<HttpClient> Console(string user)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return http;
    }

    /// <summary>The payload must not appear as markup; its marker proves the field was rendered at all.</summary>
    private static void Encoded(string page, string where, string marker, string payload)
    {
        Assert.True(page.Contains(marker, StringComparison.Ordinal), $"{where}: the field was not shown");
        Assert.False(page.Contains(payload, StringComparison.Ordinal), $"{where}: rendered as markup: {payload}");
        Assert.DoesNotMatch(@"<[a-z]+[^>]*\son[a-z]+\s*=\s*[""']?alert", Regex.Replace(page, @"<script\b[^>]*src=""/[^""]*""[^>]*></script>", ""));
    }

    [Theory]
    [MemberData(nameof(XssCases))]
    public async Task Stored_script_in_free_text_is_shown_encoded_on_every_console_page(int i)
    {
        var marker = $"X{Guid.NewGuid():N}"[..10];
        var payload = Xss[i];
        var text = marker + payload;
        var phone = Given.Phone();
        var customer = (await _given.Clerk.Post("/api/customers", new { name = text[..Math.Min(text.Length, 100)], phone, address = text })).Expect(HttpStatusCode.Created).Id;
        var serial = await _given.Product((int)customer);
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody((int)customer, serial, text))).Expect(HttpStatusCode.Created).Id;
        (await app.Api("complaints").Post("/api/complaints", new { type = "other", level = "company", channel = "hotline", description = text, workOrderId = order })).Expect(HttpStatusCode.Created);
        (await _given.Dispatcher.Post($"/api/work-orders/{order}/cancel", new { reason = text })).Expect(HttpStatusCode.OK);
        var staff = $"x{Guid.NewGuid():N}"[..12];
        (await app.Api("admin").Post("/api/users", new { username = staff, displayName = text[..Math.Min(text.Length, 100)], password = AppFixture.Password, roles = new[] { "technician" }, branchId = 2 }))
            .Expect(HttpStatusCode.Created);

        var manager = await Console("manager");
        var shortPayload = payload.Length + marker.Length > 100 ? null : payload; // names are cut at 100 characters
        Encoded(await manager.GetStringAsync($"/orders?q={marker}&status=cancelled"), "/orders", marker, payload);
        Encoded(await manager.GetStringAsync($"/orders/{order}"), "/orders/{id}", marker, payload);
        Encoded(await manager.GetStringAsync("/complaints?status=open"), "/complaints", marker, payload);
        Encoded(await manager.GetStringAsync($"/manage/users?q={marker}"), "/manage/users", marker, shortPayload ?? marker + "\u0000");
        var clerk = await Console("clerk");
        Encoded(await clerk.GetStringAsync($"/intake?handler=Caller&phone={phone}"), "/intake caller", marker, payload);
    }

    // ---------- 3. spreadsheet formula injection: neutralised in every export ----------

    private static readonly string[] Formulas =
    [
        "=HYPERLINK(\"https://example.invalid\",\"点击\")", "=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1", "\r=1+1", "＝1+1", "＋1+1", "=WEBSERVICE(\"https://example.invalid\")",
    ];

    public static TheoryData<int> FormulaCases => new(Enumerable.Range(0, Formulas.Length));

    [Theory]
    [MemberData(nameof(FormulaCases))]
    public async Task A_formula_typed_into_a_name_or_address_is_inert_text_in_the_exported_workbook(int i)
    {
        var marker = $"F{Guid.NewGuid():N}"[..10];
        var text = Formulas[i] + marker;
        var phone = Given.Phone(); // the search finds orders by phone, code or the beginning of a name
        var customer = (await _given.Clerk.Post("/api/customers", new { name = text[..Math.Min(text.Length, 100)], phone, address = text }))
            .Expect(HttpStatusCode.Created).Id;
        (await _given.Clerk.Post("/api/work-orders", Given.RepairBody((int)customer, await _given.Product((int)customer)))).Expect(HttpStatusCode.Created);

        foreach (var (who, path) in new[] { ("api", $"/api/work-orders/export.xlsx?q={phone}"), ("console", $"/orders?handler=Export&q={phone}") })
        {
            var bytes = who == "api"
                ? await (await Download("clerk", path)).Content.ReadAsByteArrayAsync()
                : await (await Console("clerk")).GetByteArrayAsync(path);
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var sheet = XDocument.Load(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Open());
            Assert.DoesNotContain(sheet.Descendants(), e => e.Name.LocalName == "f"); // no formula anywhere
            var cells = sheet.Descendants().Where(e => e.Name.LocalName == "t").Select(e => e.Value).Where(v => v.Contains(marker, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(cells);
            Assert.All(cells, v => Assert.StartsWith("'", v));
        }
    }

    private async Task<HttpResponseMessage> Download(string user, string path)
    {
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.Token(client, user));
        var reply = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        return reply;
    }

    // ---------- 4. uploads: checked by content and size, never served as HTML or script ----------

    private static readonly byte[] Png = Given.TinyPng;
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>(file bytes, declared content type, file name, kind, expected status).</summary>
    private static readonly Dictionary<string, (Func<byte[]> File, string Type, string Name, string Kind, int Status)> Uploads = new()
    {
        ["svg with script declared as png"] = (() => Bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "image/png", "photo.png", "photo", 400),
        ["svg declared as svg"] = (() => Bytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "image/svg+xml", "photo.svg", "photo", 400),
        ["html declared as html"] = (() => Bytes("<html><script>alert(1)</script></html>"), "text/html", "photo.html", "photo", 400),
        ["html declared as jpeg"] = (() => Bytes("<html><script>alert(1)</script></html>"), "image/jpeg", "photo.jpg", "photo", 400),
        ["xhtml with BOM"] = (() => [0xEF, 0xBB, 0xBF, .. Bytes("<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>")], "image/png", "p.png", "photo", 400),
        ["gif"] = (() => Bytes("GIF89a\u0001\u0000\u0001\u0000"), "image/gif", "photo.gif", "photo", 400),
        ["pdf"] = (() => Bytes("%PDF-1.4\n1 0 obj<<>>endobj"), "application/pdf", "photo.pdf", "photo", 400),
        ["executable"] = (() => [0x4D, 0x5A, 0x90, 0x00, .. new byte[100]], "image/png", "photo.png", "photo", 400),
        ["zip"] = (() => [0x50, 0x4B, 0x03, 0x04, .. new byte[100]], "image/png", "photo.png", "photo", 400),
        ["empty file"] = (() => [], "image/png", "photo.png", "photo", 400),
        ["one byte short of a png header"] = (() => Png[..7], "image/png", "photo.png", "photo", 400),
        ["png over the size limit"] = (() => [.. Png, .. new byte[10 * 1024 * 1024]], "image/png", "photo.png", "photo", 400),
        ["unknown kind"] = (() => Png, "image/png", "photo.png", "../../etc", 400),
        ["script kind"] = (() => Png, "image/png", "photo.png", "<script>", 400),
        ["nul in file name"] = (() => Png, "image/png", "photo\u0000.html", "photo", 400),
        ["png followed by html"] = (() => [.. Png, .. Bytes("<html><script>alert(1)</script></html>")], "text/html", "photo.html", "photo", 201),
        ["jpeg markers then script"] = (() => [0xFF, 0xD8, 0xFF, 0xE0, .. Bytes("<script>alert(1)</script>")], "image/jpeg", "x.jpg", "photo", 400),
        ["png signature alone"] = (() => Png[..8], "image/png", "photo.png", "photo", 400),
        ["png signature then script"] = (() => [.. Png[..8], .. Bytes("<script>alert(1)</script>")], "image/png", "photo.png", "photo", 400),
        ["png with a zero width"] = (() => [.. Png[..16], 0, 0, 0, 0, .. Png[20..]], "image/png", "photo.png", "photo", 400),
        ["jpeg scan before any frame"] = (() => [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9], "image/jpeg", "x.jpg", "photo", 400),
        ["jpeg with a frame of zero width"] = (() => [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x00, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9], "image/jpeg", "x.jpg", "photo", 400),
        ["jpeg with a frame header then script"] = (() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, .. Bytes("<script>alert(1)</script>")], "image/jpeg", "x.jpg", "photo", 201),
        ["traversal in file name"] = (() => Png, "image/png", "../../../../etc/passwd.png", "photo", 201),
        ["html file name with png content"] = (() => Png, "text/html", "index.html", "photo", 201),
    };

    public static TheoryData<string> UploadCases => new(Uploads.Keys);

    [Theory]
    [MemberData(nameof(UploadCases))]
    public async Task An_upload_is_judged_by_its_content_and_never_served_as_a_page(string name)
    {
        var c = Uploads[name];
        var order = (await Shared()).InProgress;
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(c.File());
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(c.Type);
        if (c.Name.Contains('\0', StringComparison.Ordinal))
        {
            // No client library writes a NUL into a header; RFC 5987 encoding carries it to the server all the same.
            file.Headers.TryAddWithoutValidation("Content-Disposition", "form-data; name=\"file\"; filename*=UTF-8''" + Uri.EscapeDataString(c.Name));
            form.Add(file);
        }
        else form.Add(file, "file", c.Name);
        form.Add(new StringContent(c.Kind), "kind");
        var before = (await _given.Manager.Get($"/api/work-orders/{order}")).Body["attachments"]!.AsArray().Count;
        var reply = await app.Api("tech01").Send(HttpMethod.Post, $"/api/work-orders/{order}/attachments", null, content: form);
        Assert.True((int)reply.Status == c.Status, $"{name}: expected {c.Status}, got {(int)reply.Status} {reply.Body.ToJsonString()}");
        var after = (await _given.Manager.Get($"/api/work-orders/{order}")).Body["attachments"]!.AsArray();
        if (c.Status != 201)
        {
            Assert.Equal(before, after.Count);
            return;
        }
        var served = await Download("tech01", $"/api/work-orders/{order}/attachments/{reply.Id}");
        Assert.Matches("^image/(png|jpeg|webp)$", served.Content.Headers.ContentType!.MediaType!);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition?.DispositionType);
        Assert.DoesNotContain("/", served.Content.Headers.ContentDisposition!.FileNameStar ?? served.Content.Headers.ContentDisposition.FileName ?? "");
        Assert.DoesNotContain("..", served.Content.Headers.ContentDisposition!.FileNameStar ?? served.Content.Headers.ContentDisposition.FileName ?? "");
    }

    /// <summary>Photos and signatures sent inline with the completion, as data URIs.</summary>
    private static readonly Dictionary<string, (string Field, string Uri)> InlineImages = new()
    {
        ["svg photo"] = ("photos[0]", "data:image/svg+xml;base64," + Convert.ToBase64String(Bytes("<svg onload=alert(1)/>"))),
        ["html photo"] = ("photos[0]", "data:text/html;base64," + Convert.ToBase64String(Bytes("<script>alert(1)</script>"))),
        ["html photo declared png"] = ("photos[0]", "data:image/png;base64," + Convert.ToBase64String(Bytes("<script>alert(1)</script>"))),
        ["plain text photo"] = ("photos[0]", "data:text/plain,hello"),
        ["photo that is not base64"] = ("photos[0]", "data:image/png;base64,!!!not-base64!!!"),
        ["photo that is a URL"] = ("photos[0]", "https://example.invalid/x.png"),
        ["photo that is a file path"] = ("photos[0]", "file:///etc/passwd"),
        ["svg signature"] = ("signature", "data:image/svg+xml;base64," + Convert.ToBase64String(Bytes("<svg onload=alert(1)/>"))),
        ["javascript signature"] = ("signature", "javascript:alert(1)"),
        ["signature over the size limit"] = ("signature", "data:image/png;base64," + Convert.ToBase64String([.. Png, .. new byte[1024 * 1024 + 1]])),
    };

    public static TheoryData<string> InlineImageCases => new(InlineImages.Keys);

    [Theory]
    [MemberData(nameof(InlineImageCases))]
    public async Task An_inline_photo_or_signature_that_is_not_a_real_image_is_refused_and_the_order_stays_open(string name)
    {
        var (field, uri) = InlineImages[name];
        var order = (await Shared()).InProgress;
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!;
        if (field == "signature") body["signature"] = uri;
        else body["photos"] = new JsonArray(uri);
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{order}/complete", body)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(field, reply.ErrorFields);
        Assert.Equal("inProgress", (await _given.Manager.Get($"/api/work-orders/{order}")).Str("status"));
    }

    // ---------- 5. mass assignment: read-only and unknown fields are never assigned ----------

    [Fact]
    public async Task Read_only_fields_sent_with_a_new_order_are_ignored()
    {
        var o = await Shared();
        var reply = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = o.Customer, productSerial = o.Serial, faultDescription = "x",
            id = 1, code = "WO-HACKED", status = "closed", technicianId = 1, version = 99, createdAt = "2001-01-01T00:00:00Z", completedAt = "2001-01-01T00:00:00Z",
            satisfaction = 5, policyVersion = 999, emptyTrip = true, timeline = new[] { new { action = "closed" } }, isAdmin = true,
        })).Expect(HttpStatusCode.Created).Body;
        Assert.NotEqual(1, reply["id"]!.GetValue<long>());
        Assert.NotEqual("WO-HACKED", reply["code"]!.GetValue<string>());
        Assert.Equal("new", reply["status"]!.GetValue<string>());
        Assert.Null(reply["technicianId"]);
        Assert.Equal(0, reply["version"]!.GetValue<int>());
        Assert.Null(reply["completedAt"]);
        Assert.Null(reply["satisfaction"]);
        Assert.False(reply["emptyTrip"]!.GetValue<bool>());
        Assert.NotEqual(999, reply["policyVersion"]!.GetValue<int>());
        Assert.Single(reply["timeline"]!.AsArray());
    }

    [Fact]
    public async Task A_branch_clerk_cannot_assign_a_customer_to_another_branch_or_set_its_id()
    {
        var reply = await _given.Clerk.Post("/api/customers", new { name = "分支", phone = Given.Phone(), address = "长沙", id = 1, branchId = 1, version = 7, createdAt = "2001-01-01T00:00:00Z" });
        if (reply.Status == HttpStatusCode.Created)
        {
            Assert.Equal(2, reply.Body["branchId"]!.GetValue<int>());
            Assert.NotEqual(1, reply.Id);
            Assert.Equal(0, reply.Body["version"]!.GetValue<int>());
        }
        else reply.Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_complaint_cannot_be_registered_already_resolved_or_owned_by_someone_chosen_by_the_caller()
    {
        var o = await Shared();
        var reply = (await app.Api("complaints").Post("/api/complaints", new
        {
            type = "other", level = "company", channel = "hotline", description = "x", workOrderId = o.NewOrder, status = "resolved", ownerRole = "admin", id = 1, resolvedAt = "2001-01-01T00:00:00Z",
        })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal("open", reply["status"]!.GetValue<string>());
        Assert.NotEqual("admin", reply["ownerRole"]?.GetValue<string>());
        Assert.NotEqual(1, reply["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_user_update_never_changes_the_username_password_hash_or_id()
    {
        var name = $"a{Guid.NewGuid():N}"[..12];
        var user = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "甲", password = AppFixture.Password, roles = new[] { "infoClerk" }, branchId = 2 }))
            .Expect(HttpStatusCode.Created).Body;
        var id = user["id"]!.GetValue<int>();
        (await app.Api("admin").Patch($"/api/users/{id}", new { username = "admin2", passwordHash = "x", id = 1, displayName = "乙", version = user["version"]!.GetValue<int>() })).Expect(HttpStatusCode.OK);
        var after = await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Id == id)));
        Assert.Equal(name, after.UserName);
        Assert.Equal("乙", after.DisplayName);
        (await new Api(app.Factory.CreateClient(), app, null).Post("/api/auth/token", new { username = name, password = AppFixture.Password })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_action_body_cannot_set_the_status_branch_or_technician_it_does_not_name()
    {
        var id = await _given.OrderIn("new");
        var tech01 = await _given.TechnicianId("tech01");
        var reply = (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech01, status = "closed", branchId = 1, code = "X", customerId = 1 })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("dispatched", reply["status"]!.GetValue<string>());
        Assert.Equal(2, reply["branchId"]!.GetValue<int>());
        Assert.NotEqual("X", reply["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_technician_completing_cannot_name_another_technician_or_close_the_order()
    {
        var id = await _given.OrderIn("inProgress");
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!;
        body["status"] = "closed";
        body["technicianId"] = 999;
        body["satisfaction"] = 5;
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", body)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("completed", reply["status"]!.GetValue<string>());
        Assert.Equal(await _given.TechnicianId("tech01"), reply["technicianId"]!.GetValue<int>());
        Assert.Null(reply["satisfaction"]);
    }

    // ---------- 6. forged tokens ----------

    private static string B64(string json) => Base64UrlEncoder.Encode(json);

    private static DateTime RealNow => TimeProvider.System.GetUtcNow().UtcDateTime; // JWT validation reads the real clock

    private static ClaimsIdentity Admin(int id) => new([new Claim(CurrentUser.SubjectClaim, id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(CurrentUser.NameClaim, "admin"), new Claim(CurrentUser.BranchClaim, "1"), new Claim(CurrentUser.HeadOfficeClaim, "true"), new Claim(CurrentUser.RoleClaim, "admin")]);

    private string Sign(SecurityKey key, string algorithm, Action<SecurityTokenDescriptor>? change = null, IDictionary<string, object>? header = null, int subject = 1)
    {
        var now = RealNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TokenIssuer.Issuer, Audience = TokenIssuer.Issuer, IssuedAt = now, NotBefore = now, Expires = now.AddHours(1),
            Subject = Admin(subject),
            SigningCredentials = new SigningCredentials(key, algorithm), AdditionalHeaderClaims = header,
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private SymmetricSecurityKey RealKey => app.Factory.Services.GetRequiredService<TokenKeys>().Key;
    private static readonly SymmetricSecurityKey Foreign = new(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());

    private static readonly Dictionary<string, Func<HostileInputTests, Task<string>>> Tokens = new()
    {
        ["alg none"] = async t => { var p = (await t.Valid()).Split('.')[1]; return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{p}."; },
        ["alg None, signature kept"] = async t => { var v = (await t.Valid()).Split('.'); return $"{B64("{\"alg\":\"None\",\"typ\":\"JWT\"}")}.{v[1]}.{v[2]}"; },
        ["alg NONE without type"] = async t => { var p = (await t.Valid()).Split('.')[1]; return $"{B64("{\"alg\":\"NONE\"}")}.{p}."; },
        ["signature stripped"] = async t => { var v = (await t.Valid()).Split('.'); return $"{v[0]}.{v[1]}."; },
        ["signature truncated"] = async t => { var v = await t.Valid(); return v[..^4]; },
        ["roles changed, signature kept"] = async t =>
        {
            var v = (await t.Valid()).Split('.');
            var payload = JsonNode.Parse(Base64UrlEncoder.Decode(v[1]))!.AsObject();
            payload["role"] = "admin";
            payload["hq"] = "true";
            return $"{v[0]}.{B64(payload.ToJsonString())}.{v[2]}";
        },
        ["expired an hour ago"] = t => Task.FromResult(t.Sign(t.RealKey, SecurityAlgorithms.HmacSha256, d => { d.IssuedAt = d.NotBefore = RealNow.AddHours(-3); d.Expires = RealNow.AddHours(-1); })),
        ["not valid before tomorrow"] = t => Task.FromResult(t.Sign(t.RealKey, SecurityAlgorithms.HmacSha256, d => { d.NotBefore = RealNow.AddDays(1); d.Expires = RealNow.AddDays(2); })),
        ["without expiry"] = t => Task.FromResult(t.Sign(t.RealKey, SecurityAlgorithms.HmacSha256, d => d.Expires = null)),
        ["foreign key"] = t => Task.FromResult(t.Sign(Foreign, SecurityAlgorithms.HmacSha256)),
        ["foreign key with kid"] = t => Task.FromResult(t.Sign(new SymmetricSecurityKey(Foreign.Key) { KeyId = "../../../../dev/null" }, SecurityAlgorithms.HmacSha256)),
        ["foreign key with jku"] = t => Task.FromResult(t.Sign(Foreign, SecurityAlgorithms.HmacSha256, header: new Dictionary<string, object> { ["jku"] = "https://example.invalid/jwks.json" })),
        ["wrong issuer"] = t => Task.FromResult(t.Sign(t.RealKey, SecurityAlgorithms.HmacSha256, d => d.Issuer = "someone-else")),
        ["wrong audience"] = t => Task.FromResult(t.Sign(t.RealKey, SecurityAlgorithms.HmacSha256, d => d.Audience = "someone-else")),
        ["account that does not exist"] = t => Task.FromResult(t.Sign(t.RealKey, SecurityAlgorithms.HmacSha256, d => d.Subject = Admin(987654))),
        ["RS256 header on an HMAC signature"] = async t => { var v = (await t.Valid()).Split('.'); return $"{B64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")}.{v[1]}.{v[2]}"; },
        ["empty token"] = _ => Task.FromResult(""),
        ["garbage"] = _ => Task.FromResult("abc.def.ghi"),
        ["the literal null"] = _ => Task.FromResult("null"),
    };

    private async Task<string> Valid() => await app.Token(app.Factory.CreateClient(), "tech01");

    public static TheoryData<string> TokenCases => new(Tokens.Keys);

    [Theory]
    [MemberData(nameof(TokenCases))]
    public async Task A_forged_expired_or_foreign_token_is_refused(string name)
    {
        var token = await Tokens[name](this);
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/work-orders")).StatusCode);
    }

    [Fact]
    public async Task The_genuine_token_the_forgeries_start_from_is_accepted()
    {
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + await Valid());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/work-orders")).StatusCode);
        var adminId = await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.UserName == "admin").Select(u => u.Id)));
        var admin = Sign(RealKey, SecurityAlgorithms.HmacSha256, subject: adminId); // well formed and signed with the real key, for the real admin
        client.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
    }
}
