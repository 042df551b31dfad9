using System.Globalization;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>The regulation's reports kept in the archive, by their cadence.</summary>
public enum ReportKind
{
    /// <summary>RPT-10: the day's work of each technician, with the customers' feedback.</summary>
    Daily,
    /// <summary>RPT-15 / DSP-14: the orders still open at the end of the branch's day, to the dispatcher.</summary>
    Unfinished,
    /// <summary>RPT-04 / RPT-08 / SHOP-03: the week's summary and quality feedback to the GM.</summary>
    Weekly,
    /// <summary>RPT-03: the month's service orders and figures to the GM office.</summary>
    Monthly,
    /// <summary>RPT-19: the month's operating statistics to the GM and the manufacturer.</summary>
    OpsMonth,
    /// <summary>RPT-19: the quarter's operating statistics to the GM and the manufacturer.</summary>
    OpsQuarter,
    /// <summary>RPT-01: the month's service records (fault, work done, parts) bound into a book, a copy to the technical department.</summary>
    ServiceRecordBook,
    /// <summary>RPT-07 / CPL-13: the month-end problem review of the service and complaint records.</summary>
    MonthEndReview,
}

/// <summary>
/// A report once built (RPT-03/04/08/10/15/19): its kind, branch and period [From, To) of the branch's local days, when and
/// by whom (null: the scheduler) it was built, and the figures it was built from (<see cref="ReportBody"/>, JSON). The
/// PDF and workbook are rendered from those figures, so a document never changes when later data does; only the labels
/// follow the reader's language. One document per kind, branch and period (unique index): building twice keeps one.
/// </summary>
public sealed class ReportDocument
{
    public long Id { get; private set; }
    public ReportKind Kind { get; init; }
    public int BranchId { get; init; }
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public DateTimeOffset BuiltAt { get; init; }
    public int? BuiltByUserId { get; init; }
    public required string BodyJson { get; init; }

    public ReportBody Body => ReportBody.FromJson(BodyJson);
}

internal sealed class ReportDocumentConfiguration : IEntityTypeConfiguration<ReportDocument>
{
    public void Configure(EntityTypeBuilder<ReportDocument> b)
    {
        b.ToTable("ReportDocuments");
        b.HasIndex(x => new { x.BranchId, x.Kind, x.From }).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.From });
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>One cell: text (data, shown as is), a label (catalogue text, in the reader's language), a number or a date.</summary>
public sealed record ReportCell(string? Text = null, Msg? Label = null, decimal? Number = null, DateOnly? Date = null)
{
    public static implicit operator ReportCell(decimal d) => new(Number: d);
    public static implicit operator ReportCell(int i) => new(Number: i);
    public static implicit operator ReportCell(string s) => new(Text: s);
    public static implicit operator ReportCell(Msg m) => new(Label: m);
    public static implicit operator ReportCell(DateOnly d) => new(Date: d);
    public static ReportCell Maybe(decimal? d) => d is { } v ? new(Number: v) : new(Text: "");

    public string Render(CultureInfo? culture = null) =>
        Label is { } l ? l.Render(culture)
        : Number is { } n ? n.ToString(n == decimal.Truncate(n) ? "0" : "0.00", CultureInfo.InvariantCulture)
        : Date is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : Text ?? "";

    public JsonNode ToJson() => Label is { } l ? new JsonObject { ["l"] = l.ToJson() }
        : Number is { } n ? new JsonObject { ["n"] = n }
        : Date is { } d ? new JsonObject { ["d"] = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }
        : new JsonObject { ["t"] = Text ?? "" };

    public static ReportCell FromJson(JsonNode? node) => node switch
    {
        JsonObject o when o["l"] is { } l => new(Label: Msg.FromJson(l)),
        JsonObject o when o["n"] is { } n => new(Number: n.GetValue<decimal>()),
        JsonObject o when o["d"] is { } d => new(Date: DateOnly.ParseExact((string)d!, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        JsonObject o => new(Text: (string?)o["t"] ?? ""),
        _ => new(Text: ""),
    };
}

/// <summary>A table of the document: its heading, column headings and rows.</summary>
public sealed record ReportSection(Msg Heading, IReadOnlyList<Msg> Columns, IReadOnlyList<IReadOnlyList<ReportCell>> Rows);

/// <summary>The figures of a document as built: a title, lines under it, and its tables.</summary>
public sealed record ReportBody(Msg Title, IReadOnlyList<Msg> Notes, IReadOnlyList<ReportSection> Sections)
{
    public string ToJson() => new JsonObject
    {
        ["title"] = Title.ToJson(),
        ["notes"] = new JsonArray(Notes.Select(n => (JsonNode)n.ToJson()).ToArray()),
        ["sections"] = new JsonArray(Sections.Select(s => (JsonNode)new JsonObject
        {
            ["heading"] = s.Heading.ToJson(),
            ["columns"] = new JsonArray(s.Columns.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["rows"] = new JsonArray(s.Rows.Select(r => (JsonNode)new JsonArray(r.Select(c => c.ToJson()).ToArray())).ToArray()),
        }).ToArray()),
    }.ToJsonString();

    public static ReportBody FromJson(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        return new ReportBody(Msg.FromJson(o["title"]), (o["notes"] as JsonArray ?? []).Select(Msg.FromJson).ToList(),
            (o["sections"] as JsonArray ?? []).Select(s => new ReportSection(Msg.FromJson(s!["heading"]),
                (s["columns"] as JsonArray ?? []).Select(Msg.FromJson).ToList(),
                (s["rows"] as JsonArray ?? []).Select(r => (IReadOnlyList<ReportCell>)(r as JsonArray ?? []).Select(ReportCell.FromJson).ToList()).ToList())).ToList());
    }

    /// <summary>The section whose heading has this catalogue key (tests and the page read figures by it).</summary>
    public ReportSection? Section(string headingKey) => Sections.FirstOrDefault(s => s.Heading.Key == headingKey);
}
