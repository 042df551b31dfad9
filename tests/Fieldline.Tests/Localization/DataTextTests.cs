using System.Text.Json;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Tests.Localization;

public sealed class DataTextTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    private static DataText In(System.Globalization.CultureInfo culture) =>
        new(Shanghai, Now, (field, id) => field == "technicianId" && id == 7 ? "王师傅" : null, culture);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_missed_contact_deadline_reads_as_the_glossarys_sentence_in_the_branchs_time()
    {
        var evidence = Json("""{"workOrder":"WO-1","clock":"contact","ruleId":"DSP-03","dueAt":"2026-12-02T00:34:00+00:00","actualAt":"2026-12-02T01:12:00+00:00","lateMinutes":38}""");
        Assert.Equal("应于 12-02 08:34 前联系客户，实际 12-02 09:12 联系客户，超时 38 分钟", In(Catalogue.Chinese).Evidence(evidence));
        Assert.Equal("To contact the customer by 12-02 08:34; contacted 12-02 09:12, 38 min late", In(Catalogue.English).Evidence(evidence));
    }

    [Fact]
    public void A_deadline_still_open_says_it_was_not_met_and_a_past_year_shows_its_year()
    {
        var evidence = Json("""{"clock":"completion","dueAt":"2025-11-27T01:00:00+00:00","actualAt":null,"lateMinutes":null}""");
        Assert.Equal("应于 2025-11-27 09:00 前完工，实际未完工", In(Catalogue.Chinese).Evidence(evidence));
    }

    [Fact]
    public void Other_facts_read_as_labelled_values_with_names_not_ids_or_codes()
    {
        var data = Json("""{"technicianId":7,"reason":"客户改约","status":"inProgress","anomaly":false,"amount":30}""");
        Assert.Equal("技师：王师傅、原因：客户改约、状态：服务中、异常：否、金额：¥30.00", In(Catalogue.Chinese).Data(data));
        Assert.Equal("Technician: 王师傅, Reason: 客户改约, Status: On site, Anomaly: No, Amount: ¥30.00", In(Catalogue.English).Data(data));
    }
}
