using System.Net;
using System.Text;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Security;

[Collection(SqliteCollection.Name)] public sealed class HostileInputTestsOnSqlite(SqliteFixture app) : HostileInputTests(app);
[Collection(PostgresCollection.Name)] public sealed class HostileInputTestsOnPostgres(PostgresFixture app) : HostileInputTests(app);

/// <summary>
/// A corpus of hostile input, each case asserting its refusal (the status and, for a 400, the field named) or its encoding:
/// control characters, out-of-range money and dates, wrong types and shapes, oversized values, stored XSS on every console
/// page, spreadsheet formulas, uploads that are not what they claim, mass assignment of read-only fields, forged tokens,
/// and path traversal. A refused request changes nothing; nothing answers 500.
/// </summary>
public abstract partial class HostileInputTests(AppFixture app)
{
    private readonly Given _given = new(app);

    // ---------- shared objects, made once per database ----------

    private sealed record Objects(long NewOrder, long InProgress, int Customer, string Serial);
    private static readonly Dictionary<string, Objects> Made = [];
    private static readonly SemaphoreSlim Making = new(1, 1);

    private async Task<Objects> Shared()
    {
        await Making.WaitAsync();
        try
        {
            if (Made.TryGetValue(app.Provider, out var made)) return made;
            var customer = await _given.Customer();
            var serial = await _given.Product(customer);
            var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Id;
            return Made[app.Provider] = new Objects(order, await _given.OrderIn("inProgress"), (int)customer, serial);
        }
        finally { Making.Release(); }
    }

    private async Task<string> Fill(string text)
    {
        var o = await Shared();
        return text.Replace("{order}", o.NewOrder.ToString(), StringComparison.Ordinal).Replace("{inProgress}", o.InProgress.ToString(), StringComparison.Ordinal)
            .Replace("{customer}", o.Customer.ToString(), StringComparison.Ordinal).Replace("{serial}", o.Serial, StringComparison.Ordinal)
            .Replace("{phone}", Given.Phone(), StringComparison.Ordinal).Replace("{guid}", Guid.NewGuid().ToString("N")[..12], StringComparison.Ordinal);
    }

    /// <summary>Sends raw JSON (so the corpus can hold what no serializer would write) and returns the answer.</summary>
    private async Task<Reply> Raw(string user, string method, string path, string? json, string contentType = "application/json")
    {
        var content = json is null ? null : new StringContent(await Fill(json), Encoding.UTF8, contentType);
        return await app.Api(user.Length == 0 ? null : user).Send(new HttpMethod(method), await Fill(path), null, content: content);
    }

    // ---------- 1. refusals: request → status and the field the answer names ----------

    /// <summary>(user, method, path, raw JSON body or null, expected status, field the 400 must name or null).</summary>
    private static readonly Dictionary<string, (string User, string Method, string Path, string? Body, int Status, string? Field)> Refusals = new()
    {
        // control characters, in JSON (escaped and raw C1), in query strings
        ["nul in customer name"] = ("clerk", "POST", "/api/customers", """{"name":"王\u0000五","phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["nul in address"] = ("clerk", "POST", "/api/customers", """{"name":"王五","phone":"{phone}","address":"长沙\u0000"}""", 400, "address"),
        ["bell in name"] = ("clerk", "POST", "/api/customers", """{"name":"王\u0007五","phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["escape in name"] = ("clerk", "POST", "/api/customers", """{"name":"\u001b[31m王五","phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["backspace in name"] = ("clerk", "POST", "/api/customers", """{"name":"王\b五","phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["form feed in address"] = ("clerk", "POST", "/api/customers", """{"name":"王五","phone":"{phone}","address":"长\f沙"}""", 400, "address"),
        ["delete in name"] = ("clerk", "POST", "/api/customers", """{"name":"王\u007f五","phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["C1 next line in name"] = ("clerk", "POST", "/api/customers", """{"name":"王\u0085五","phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["C1 CSI in address"] = ("clerk", "POST", "/api/customers", """{"name":"王五","phone":"{phone}","address":"长沙\u009b"}""", 400, "address"),
        ["nul in phone"] = ("clerk", "POST", "/api/customers", """{"name":"王五","phone":"139\u00001234567","address":"长沙"}""", 400, "phone"),
        ["nul in fault description"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":{customer},"productSerial":"{serial}","faultDescription":"不制冷\u0000"}""", 400, "faultDescription"),
        ["nul in cancel reason"] = ("dispatcher", "POST", "/api/work-orders/{order}/cancel", """{"reason":"\u0000"}""", 400, "reason"),
        ["nul in complaint description"] = ("complaints", "POST", "/api/complaints", """{"type":"other","level":"company","channel":"hotline","description":"x\u0000","workOrderId":{order}}""", 400, "description"),
        ["nul in nested customer name"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","productLine":"ac","productModel":"M","purchaseDate":"2025-01-01","faultDescription":"x","customer":{"name":"a\u0000","phone":"{phone}","address":"长沙"}}""", 400, "customer.name"),
        ["nul in array element"] = ("complaints", "POST", "/api/work-orders/{order}/return-visit", """{"reached":true,"satisfaction":5,"findings":["\u0000"]}""", 400, "findings[0]"),
        ["nul in user display name"] = ("admin", "POST", "/api/users", """{"username":"u{guid}","displayName":"x\u0000","password":"Password-123","roles":["infoClerk"],"branchId":2}""", 400, "displayName"),
        ["nul in username"] = ("admin", "POST", "/api/users", """{"username":"u\u0000{guid}","displayName":"x","password":"Password-123","roles":["infoClerk"],"branchId":2}""", 400, "username"),
        ["nul in sign-in username"] = ("", "POST", "/api/auth/token", """{"username":"clerk\u0000","password":"x"}""", 400, "username"),
        ["nul in product serial"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN\u0000{guid}","purchaseDate":"2025-01-01","warrantyMonths":12}""", 400, "serialNumber"),
        ["nul in query phone"] = ("clerk", "GET", "/api/customers?phone=139%00", null, 400, "phone"),
        ["nul in query search"] = ("clerk", "GET", "/api/work-orders?q=%00abc", null, 400, "q"),
        ["escape in query search"] = ("clerk", "GET", "/api/work-orders?q=%1B%5B2J", null, 400, "q"),
        ["nul in query status"] = ("clerk", "GET", "/api/work-orders?status=new%00", null, 400, "status"),
        ["nul in query name"] = ("manager", "GET", "/api/pay-ledger?month=2026-11%00", null, 400, "month"),
        ["nul in export search"] = ("clerk", "GET", "/api/work-orders/export.xlsx?q=%00", null, 400, "q"),
        // money: two decimals at most, in every request that carries an amount
        ["charge with three decimals"] = ("tech01", "POST", "/api/work-orders/{inProgress}/complete", """{"resolution":"x","charges":[{"description":"上门费","amount":30.001}]}""", 400, "charges[0].amount"),
        ["charge with four decimals"] = ("tech01", "POST", "/api/work-orders/{inProgress}/complete", """{"resolution":"x","charges":[{"description":"上门费","amount":12.3456}]}""", 400, "charges[0].amount"),
        ["charge with exponent decimals"] = ("tech01", "POST", "/api/work-orders/{inProgress}/complete", """{"resolution":"x","charges":[{"description":"上门费","amount":1.2345e1}]}""", 400, "charges[0].amount"),
        ["second charge with decimals"] = ("tech01", "POST", "/api/work-orders/{inProgress}/complete", """{"resolution":"x","charges":[{"description":"a","amount":1},{"description":"b","amount":0.001}]}""", 400, "charges[1].amount"),
        ["brand fine with four decimals"] = ("manager", "POST", "/api/work-orders/{order}/brand-fines", """{"amount":100.0001,"reference":"R","reason":"x"}""", 400, "amount"),
        ["remittance with three decimals"] = ("finance", "POST", "/api/work-orders/{inProgress}/remittance", """{"amount":30.125}""", 400, "amount"),
        ["private job with three decimals"] = ("manager", "POST", "/api/penalty-cases/private-job", """{"technicianId":1,"day":"2026-11-26","amount":180.999,"description":"x"}""", 400, "amount"),
        ["money beyond decimal range"] = ("manager", "POST", "/api/work-orders/{order}/brand-fines", """{"amount":1e40,"reference":"R","reason":"x"}""", 400, "amount"),
        ["money as string"] = ("manager", "POST", "/api/work-orders/{order}/brand-fines", """{"amount":"100","reference":"R","reason":"x"}""", 400, "amount"),
        // dates: 1900 to 2100
        ["purchase date 9999"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"9999-12-31","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date 0001"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"0001-01-01","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date 1899"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"1899-12-31","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date 2101"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"2101-01-01","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date 30 February"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"2025-02-30","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date month 13"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"2025-13-01","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date with time"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":"2025-01-01T00:00:00Z","warrantyMonths":12}""", 400, "purchaseDate"),
        ["purchase date as number"] = ("clerk", "POST", "/api/customers/{customer}/products", """{"productLine":"ac","brand":"格力","model":"M","serialNumber":"SN{guid}","purchaseDate":20250101,"warrantyMonths":12}""", 400, "purchaseDate"),
        ["requested window in 9999"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":{customer},"productSerial":"{serial}","faultDescription":"x","requestedWindow":{"start":"9999-01-01T10:00:00+08:00","end":"9999-01-01T12:00:00+08:00"}}""", 400, "requestedWindow.start"),
        ["requested window in year 1"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":{customer},"productSerial":"{serial}","faultDescription":"x","requestedWindow":{"start":"0001-01-01T10:00:00+08:00","end":"2026-01-01T12:00:00+08:00"}}""", 400, "requestedWindow.start"),
        ["new order purchase date 9999"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","productLine":"ac","productModel":"M","purchaseDate":"9999-01-01","faultDescription":"x","customer":{"name":"a","phone":"{phone}","address":"长沙"}}""", 400, "purchaseDate"),
        ["lead purchase date 9999"] = ("tech01", "POST", "/api/work-orders/leads", """{"type":"repair","productLine":"ac","productModel":"M","purchaseDate":"9999-01-01","faultDescription":"x","customer":{"name":"a","phone":"{phone}","address":"长沙"}}""", 400, "purchaseDate"),
        ["appointment in 2999"] = ("tech01", "POST", "/api/work-orders/{inProgress}/reschedule", """{"appointment":{"start":"2999-01-01T10:00:00+08:00","end":"2999-01-01T12:00:00+08:00"},"reason":"x"}""", 400, "appointment.start"),
        ["policy effective in 9999"] = ("manager", "PUT", "/api/policy", """{"basedOn":"generic","effectiveFrom":"9999-01-01T00:00:00+08:00"}""", 400, "effectiveFrom"),
        ["private job day 9999"] = ("manager", "POST", "/api/penalty-cases/private-job", """{"technicianId":1,"day":"9999-01-01","amount":100,"description":"x"}""", 400, "day"),
        ["calendar holiday 9999"] = ("manager", "PUT", "/api/branches/2/calendar", """{"workStart":"09:00","workEnd":"18:00","workingDays":[1,2,3,4,5],"holidays":["9999-01-01"]}""", 400, "holidays[0]"),
        ["timestamp without zone garbage"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":{customer},"productSerial":"{serial}","faultDescription":"x","requestedWindow":{"start":"tomorrow","end":"later"}}""", 400, "requestedWindow.start"),
        // wrong types and shapes
        ["id as SQL string"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":"1 OR 1=1","productSerial":"{serial}","faultDescription":"x"}""", 400, "customerId"),
        ["id as fraction"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":1.5,"productSerial":"{serial}","faultDescription":"x"}""", 400, "customerId"),
        ["id as boolean"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":true,"productSerial":"{serial}","faultDescription":"x"}""", 400, "customerId"),
        ["id beyond int"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":99999999999999,"productSerial":"{serial}","faultDescription":"x"}""", 400, "customerId"),
        ["negative id"] = ("clerk", "POST", "/api/work-orders", """{"type":"repair","channel":"hotline","customerId":-1,"productSerial":"{serial}","faultDescription":"x"}""", 400, "customerId"),
        ["text as array"] = ("clerk", "POST", "/api/customers", """{"name":["a","b"],"phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["text as object"] = ("clerk", "POST", "/api/customers", """{"name":{"$ne":null},"phone":"{phone}","address":"长沙"}""", 400, "name"),
        ["location as string"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"{phone}","address":"长沙","location":"28,112"}""", 400, "location"),
        ["latitude out of range"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"{phone}","address":"长沙","location":{"lat":91,"lng":112}}""", 400, "location.lat"),
        ["longitude out of range"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"{phone}","address":"长沙","location":{"lat":28,"lng":-181}}""", 400, "location.lng"),
        ["unknown enum"] = ("clerk", "POST", "/api/work-orders", """{"type":"hack","channel":"hotline","customerId":{customer},"productSerial":"{serial}","faultDescription":"x"}""", 400, "type"),
        ["enum as number"] = ("clerk", "POST", "/api/work-orders", """{"type":1,"channel":"hotline","customerId":{customer},"productSerial":"{serial}","faultDescription":"x"}""", 400, "type"),
        ["body is an array"] = ("clerk", "POST", "/api/customers", """[{"name":"a"}]""", 400, "body"),
        ["body is a string"] = ("clerk", "POST", "/api/customers", "\"hello\"", 400, "body"),
        ["body is not JSON"] = ("clerk", "POST", "/api/customers", "not json at all", 400, "body"),
        ["body is truncated JSON"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":""", 400, null),
        ["body nested 200 deep"] = ("clerk", "POST", "/api/customers", new string('[', 200) + new string(']', 200), 400, null),
        ["empty body"] = ("clerk", "POST", "/api/customers", "", 400, null),
        ["json null body"] = ("clerk", "POST", "/api/customers", "null", 400, null),
        ["phone with letters"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"1397abc1234","address":"长沙"}""", 400, "phone"),
        ["phone far too long"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"1390000000000000000000000000000000000000","address":"长沙"}""", 400, "phone"),
        ["phone with SQL"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"13900000000' OR '1'='1","address":"长沙"}""", 400, "phone"),
        ["phone with Thai digits"] = ("clerk", "POST", "/api/customers", """{"name":"a","phone":"๑๓๙๐๐๐๐๐๐๐","address":"长沙"}""", 400, "phone"),
        ["satisfaction out of range"] = ("visitor", "POST", "/api/work-orders/{order}/return-visit", """{"reached":true,"satisfaction":99}""", 400, "satisfaction"),
        ["negative charge"] = ("tech01", "POST", "/api/work-orders/{inProgress}/complete", """{"resolution":"x","charges":[{"description":"退款","amount":-100}]}""", 400, "charges[0].amount"),
        ["negative quantity"] = ("tech01", "POST", "/api/work-orders/{inProgress}/complete", """{"resolution":"x","partsUsed":[{"partNumber":"CAP-35","name":"电容","quantity":-5}]}""", 400, "partsUsed[0].quantity"),
        ["negative remittance"] = ("finance", "POST", "/api/work-orders/{inProgress}/remittance", """{"amount":-1}""", 400, "amount"),
        ["negative brand fine"] = ("manager", "POST", "/api/work-orders/{order}/brand-fines", """{"amount":-100,"reference":"R","reason":"x"}""", 400, "amount"),
        ["calendar weekday 8"] = ("manager", "PUT", "/api/branches/2/calendar", """{"workStart":"09:00","workEnd":"18:00","workingDays":[8]}""", 400, "workingDays"),
        ["calendar hour 25"] = ("manager", "PUT", "/api/branches/2/calendar", """{"workStart":"25:00","workEnd":"18:00","workingDays":[1]}""", 400, "workStart"),
        ["page size negative"] = ("clerk", "GET", "/api/work-orders?pageSize=-1", null, 400, "pageSize"),
        ["page size enormous"] = ("clerk", "GET", "/api/work-orders?pageSize=100000000", null, 400, "pageSize"),
        ["page zero"] = ("clerk", "GET", "/api/work-orders?page=0", null, 400, "page"),
        ["month not a month"] = ("manager", "GET", "/api/pay-ledger?month=2026-13", null, 400, "month"),
        ["unknown status filter"] = ("clerk", "GET", "/api/work-orders?status=deleted", null, 400, "status"),
        // oversized values
        ["customer name of 10 000 characters"] = ("clerk", "POST", "/api/customers", "{\"name\":\"" + new string('王', 10_000) + "\",\"phone\":\"{phone}\",\"address\":\"长沙\"}", 400, "name"),
        ["address of 100 000 characters"] = ("clerk", "POST", "/api/customers", "{\"name\":\"a\",\"phone\":\"{phone}\",\"address\":\"" + new string('x', 100_000) + "\"}", 400, "address"),
        ["fault of 50 000 characters"] = ("clerk", "POST", "/api/work-orders", "{\"type\":\"repair\",\"channel\":\"hotline\",\"customerId\":{customer},\"productSerial\":\"{serial}\",\"faultDescription\":\"" + new string('x', 50_000) + "\"}", 400, "faultDescription"),
        ["cancel reason of 20 000 characters"] = ("dispatcher", "POST", "/api/work-orders/{order}/cancel", "{\"reason\":\"" + new string('x', 20_000) + "\"}", 400, "reason"),
        ["search of 5 000 characters"] = ("clerk", "GET", "/api/work-orders?q=" + new string('x', 5_000), null, 400, "q"),
        ["complaint of 100 000 characters"] = ("complaints", "POST", "/api/complaints", "{\"type\":\"other\",\"level\":\"company\",\"channel\":\"hotline\",\"description\":\"" + new string('x', 100_000) + "\",\"workOrderId\":{order}}", 400, "description"),
        ["calendar with 5 000 holidays"] = ("manager", "PUT", "/api/branches/2/calendar", "{\"workStart\":\"09:00\",\"workEnd\":\"18:00\",\"workingDays\":[1],\"holidays\":[" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"{new DateOnly(2000, 1, 1).AddDays(i):yyyy-MM-dd}\"")) + "]}", 400, "holidays"),
        // content types and methods
        ["form post to a JSON endpoint"] = ("clerk", "POST", "/api/customers", "name=a", 415, null),
        ["XML to a JSON endpoint"] = ("clerk", "POST", "/api/customers", "<customer><name>a</name></customer>", 415, null),
        // path traversal and probing
        ["attachment id as traversal"] = ("tech01", "GET", "/api/work-orders/{inProgress}/attachments/..%2F..%2Fappsettings.json", null, 404, null),
        ["product serial as traversal"] = ("clerk", "GET", "/api/products/..%2F..%2Fetc%2Fpasswd", null, 404, null),
        ["work order id as traversal"] = ("clerk", "GET", "/api/work-orders/..%2F..%2Fappsettings.json", null, 404, null),
        ["work order id beyond long"] = ("clerk", "GET", "/api/work-orders/99999999999999999999999", null, 404, null),
        ["work order id negative"] = ("clerk", "GET", "/api/work-orders/-1", null, 404, null),
        ["customer id as SQL"] = ("clerk", "GET", "/api/customers/1%20OR%201=1", null, 404, null),
        ["settings file"] = ("", "GET", "/appsettings.json", null, 404, null),
        ["settings file through static root"] = ("", "GET", "/..%2Fappsettings.json", null, 404, null),
        ["settings file through phone app"] = ("", "GET", "/m/..%2F..%2Fappsettings.json", null, 404, null),
        ["assembly through static root"] = ("", "GET", "/Fieldline.Web.dll", null, 404, null),
        ["dot-dot segments"] = ("", "GET", "/%2e%2e/%2e%2e/etc/passwd", null, 404, null),
        ["database file"] = ("", "GET", "/data/fieldline.db", null, 404, null),
        ["token in the query string is not a token"] = ("", "GET", "/api/work-orders?access_token=x", null, 401, null),
    };

    public static TheoryData<string> RefusalCases => new(Refusals.Keys);

    [Theory]
    [MemberData(nameof(RefusalCases))]
    public async Task Hostile_input_is_refused(string name)
    {
        var c = Refusals[name];
        var contentType = c.Body is null ? "application/json" : c.Body.StartsWith("name=", StringComparison.Ordinal) ? "application/x-www-form-urlencoded"
            : c.Body.StartsWith('<') ? "application/xml" : "application/json";
        var reply = await Raw(c.User, c.Method, c.Path, c.Body, contentType);
        Assert.True((int)reply.Status == c.Status, $"{name}: expected {c.Status}, got {(int)reply.Status} {reply.Body.ToJsonString()[..Math.Min(400, reply.Body.ToJsonString().Length)]}");
        if (c.Field is { } field) Assert.Contains(field, reply.ErrorFields);
    }
}
