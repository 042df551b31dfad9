using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class ValidationTestsOnSqlite(SqliteFixture app) : ValidationTests(app);
[Collection(PostgresCollection.Name)] public sealed class ValidationTestsOnPostgres(PostgresFixture app) : ValidationTests(app);

public abstract class ValidationTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<int> Orders() => await app.Db(db => db.WorkOrders.CountAsync());

    private async Task<Reply> RejectedIntake(object body)
    {
        var before = await Orders();
        var customersBefore = await app.Db(db => db.Customers.CountAsync());
        var reply = (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", reply.Raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await Orders());
        Assert.Equal(customersBefore, await app.Db(db => db.Customers.CountAsync()));
        return reply;
    }

    [Fact]
    public async Task A_bad_phone_number_is_refused_naming_the_field()
    {
        var reply = await RejectedIntake(new
        {
            type = "repair", channel = "hotline", productLine = "ac", productModel = "M", purchaseDate = "2025-01-01", faultDescription = "坏了",
            customer = new { name = "张三", phone = "12345", address = "长沙" },
        });
        Assert.Equal(["customer.phone"], reply.ErrorFields);
        (await _given.Clerk.Post("/api/customers", new { name = "李四", phone = "1381234567x", address = "长沙" })).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Phone_numbers_in_any_common_spelling_find_the_same_customer()
    {
        var phone = Given.Phone();
        await _given.Customer(phone);
        foreach (var spelling in new[] { phone, $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}", $"86{phone}" })
            Assert.Equal(1, (await _given.Clerk.Get($"/api/customers?phone={Uri.EscapeDataString(spelling)}")).Body["total"]!.GetValue<int>());
        (await _given.Clerk.Post("/api/customers", new { name = "重复", phone = "+86" + phone, address = "长沙" })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Intake_without_the_policys_required_fields_names_each_missing_field()
    {
        var customer = await _given.Customer();
        var reply = await RejectedIntake(new { type = "repair", channel = "hotline", customerId = customer, productLine = "ac" });
        Assert.Equal(["faultDescription", "productModel", "purchaseDate"], reply.ErrorFields.Order().ToArray());
    }

    [Fact]
    public async Task A_window_that_ends_before_it_starts_is_refused()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var reply = await RejectedIntake(new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷",
            requestedWindow = new { start = "2026-11-26T18:00:00+08:00", end = "2026-11-26T14:00:00+08:00" },
        });
        Assert.Equal(["requestedWindow.end"], reply.ErrorFields);
    }

    [Fact]
    public async Task Unknown_enum_values_are_refused_listing_the_allowed_ones()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var reply = await RejectedIntake(new { type = "teleport", channel = "pigeon", customerId = customer, productSerial = serial, faultDescription = "x", priority = "asap" });
        Assert.Equal(["channel", "priority", "type"], reply.ErrorFields.Order().ToArray());
        // A person reads each allowed value as the code to send with its name; an API client asking in English gets the codes.
        Assert.Contains("install（安装）、repair（维修）、maintenance（保养）、inspection（巡检）", reply.Body["errors"]!["type"]![0]!.GetValue<string>());
        var english = await _given.Clerk.InLanguage("en").Post("/api/work-orders", new { type = "teleport", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "x" });
        Assert.Contains("install, repair, maintenance, inspection", english.Expect(HttpStatusCode.BadRequest).Body["errors"]!["type"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Oversized_text_is_refused()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var reply = await RejectedIntake(Given.RepairBody(customer, serial, new string('坏', 2001)));
        Assert.Equal(["faultDescription"], reply.ErrorFields);
    }

    [Fact]
    public async Task A_value_of_the_wrong_json_type_is_refused_naming_the_field()
    {
        using var content = new StringContent("""{"type":"repair","channel":"hotline","customerId":"twelve"}""", Encoding.UTF8, "application/json");
        var reply = (await _given.Clerk.Send(HttpMethod.Post, "/api/work-orders", null, content: content)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["customerId"], reply.ErrorFields);
        using var broken = new StringContent("{not json", Encoding.UTF8, "application/json");
        (await _given.Clerk.Send(HttpMethod.Post, "/api/work-orders", null, content: broken)).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Reschedule_without_the_customers_consent_is_refused()
    {
        var id = await _given.OrderIn("scheduled");
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{id}/reschedule", new
        {
            appointment = new { start = "2026-11-27T10:00:00+08:00", end = "2026-11-27T12:00:00+08:00" }, reason = "我有事", customerConsent = false,
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["customerConsent"], reply.ErrorFields);
    }

    [Fact]
    public async Task Completion_refuses_bad_parts_negative_charges_and_a_signature_that_is_not_an_image()
    {
        var id = await _given.OrderIn("inProgress");
        var reply = (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", new
        {
            resolution = "修好了", partsUsed = new[] { new { partNumber = "", quantity = 0 } }, charges = new[] { new { description = "费", amount = -5m } },
            signature = "data:image/png;base64," + Convert.ToBase64String("<svg onload=alert(1)>"u8.ToArray()),
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["charges[0].amount", "partsUsed[0].partNumber", "partsUsed[0].quantity", "signature"], reply.ErrorFields.Order().ToArray());
        Assert.Equal("inProgress", (await _given.Manager.Get($"/api/work-orders/{id}")).Str("status"));
    }

    [Fact]
    public async Task Uploads_are_accepted_by_their_content_not_their_name()
    {
        var id = await _given.OrderIn("inProgress");
        var tech = app.Api("tech01");
        async Task<Reply> Upload(byte[] bytes, string name, string type)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(file, "file", name);
            return await tech.Send(HttpMethod.Post, $"/api/work-orders/{id}/attachments", null, content: form);
        }
        var fake = (await Upload("<html><script>alert(1)</script></html>"u8.ToArray(), "photo.jpg", "image/jpeg")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["file"], fake.ErrorFields);
        var real = (await Upload(Given.TinyPng, "evil.html", "text/html")).Expect(HttpStatusCode.Created);
        var download = await app.Factory.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, real.Str("url"))
        { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", await app.Token(app.Factory.CreateClient(), "tech01")) } });
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        (await app.Api("tech02").Get(real.Str("url")!)).Expect(HttpStatusCode.NotFound);
        (await Upload(Given.TinyPng, "second.png", "image/png")).Expect(HttpStatusCode.Created);
        var photos = (await _given.Manager.Get($"/api/work-orders/{id}")).Body["attachments"]!.AsArray();
        Assert.Equal(2, photos.Count(a => a!["kind"]!.GetValue<string>() == "photo"));
    }

    [Fact]
    public async Task Paging_beyond_200_per_page_is_refused()
    {
        var reply = (await _given.Clerk.Get("/api/work-orders?pageSize=500")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["pageSize"], reply.ErrorFields);
    }
}
