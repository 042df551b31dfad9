using System.Globalization;
using Fieldline.Web.Features.Parts;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Parts;

/// <summary>
/// The warehouse keeper's page: the catalogue (add a part, import a workbook), receipts from suppliers, transfers between
/// the warehouse and the vans, stock-takes, stock by place, and the Excel export. The same use cases as /api/parts and /api/stock.
/// </summary>
public sealed class WarehouseModel(FindParts parts, AddPart add, ImportParts import, FindStock stock, ReceiveStock receive, TransferStock transfer,
    TakeStock take, ImportStockTake importCount, ExportStock export, FindRequisitions requisitions, IssueRequisition issue,
    FindOldParts oldParts, ReceiveOldPart receiveOld) : ConsolePage
{
    public static readonly string[] PageUsers = StockLedger.Keepers;

    [BindProperty(SupportsGet = true)] public int? LocationId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    // one part
    [BindProperty] public string? PartNumber { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? ProductLine { get; set; }
    [BindProperty] public string? FitsModels { get; set; }
    [BindProperty] public string? UnitCost { get; set; }
    [BindProperty] public string? ListPrice { get; set; }
    [BindProperty] public string? WarrantyClass { get; set; }
    [BindProperty] public bool MustReturn { get; set; }
    [BindProperty] public IFormFile? Workbook { get; set; }
    [BindProperty] public IFormFile? CountWorkbook { get; set; }
    // a movement
    [BindProperty] public string? MovePartNumber { get; set; }
    [BindProperty] public int? Quantity { get; set; }
    [BindProperty] public int? FromLocationId { get; set; }
    [BindProperty] public int? ToLocationId { get; set; }
    [BindProperty] public int? Counted { get; set; }
    [BindProperty] public string? Reference { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public IReadOnlyList<PartDto> Catalogue { get; private set; } = [];
    public IReadOnlyList<StockLocationDto> Locations { get; private set; } = [];
    public IReadOnlyList<StockLevelDto> Levels { get; private set; } = [];
    public IReadOnlyList<RequisitionDto> Waiting { get; private set; } = [];
    public IReadOnlyList<OldPartDto> Expected { get; private set; } = [];
    [BindProperty] public bool Genuine { get; set; }
    [BindProperty] public string? Condition { get; set; }
    /// <summary>Which form the errors belong to, so they show beside it.</summary>
    public string? FailedForm { get; private set; }

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnGetExport(CancellationToken ct) =>
        File(await export.Handle(Me, ct), ExportStock.ContentType, "warehouse.xlsx");

    public Task<IActionResult> OnPostAddPart(CancellationToken ct) => Run("part", async () =>
    {
        // An amount typed as the clerk types it ("¥12.50", "12.5元"); what is not an amount is named, not taken for "missing".
        var amounts = new Fieldline.Web.Infrastructure.Http.Validator();
        var cost = ImportParts.Money(amounts, UnitCost, "unitCost");
        var price = ImportParts.Money(amounts, ListPrice, "listPrice");
        amounts.ThrowIfInvalid();
        var part = await add.Handle(Me, new AddPartRequest(PartNumber, Name, ProductLine,
            FitsModels?.Split(new[] { ',', '，', '、', ';', '；' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            cost, price, WarrantyClass, MustReturn), ct);
        Flash = T["Part {0} added to the catalogue.", part.PartNumber];
    }, ct);

    public Task<IActionResult> OnPostImport(CancellationToken ct) => Run("import", async () =>
    {
        var result = await import.Handle(Me, Workbook, null, ct);
        Flash = T["Imported {0} rows: {1} new parts, {2} updated.", result.Rows, result.Created, result.Updated];
    }, ct);

    public Task<IActionResult> OnPostReceive(CancellationToken ct) => Run("receipt", async () =>
    {
        var level = await receive.Handle(Me, new ReceiptRequest(MovePartNumber, Quantity, null, Reference, Reason), ct);
        Flash = T["Received: {0} now has {1} on hand.", level.PartNumber, level.OnHand];
    }, ct);

    public Task<IActionResult> OnPostTransfer(CancellationToken ct) => Run("transfer", async () =>
    {
        var moved = await transfer.Handle(Me, new StockTransferRequest(MovePartNumber, Quantity, FromLocationId, ToLocationId, Reason), ct);
        Flash = T["Transferred: {0} now has {1} on hand at the destination.", moved.To.PartNumber, moved.To.OnHand];
    }, ct);

    public Task<IActionResult> OnPostStockTake(CancellationToken ct) => Run("stockTake", async () =>
    {
        var level = await take.Handle(Me, new StockTakeRequest(LocationId, MovePartNumber, Counted, Reason), ct);
        Flash = T["Stock-take recorded: {0} now has {1} on hand.", level.PartNumber, level.OnHand];
    }, ct);

    public Task<IActionResult> OnPostImportStockTake(CancellationToken ct) => Run("stockTakeImport", async () =>
    {
        var result = await importCount.Handle(Me, CountWorkbook, LocationId?.ToString(CultureInfo.InvariantCulture), Reason, ct);
        Flash = T["Stock-take of {0} imported: {1} parts counted, {2} differences recorded.", result.LocationName, result.Rows, result.Differences];
    }, ct);

    public Task<IActionResult> OnPostIssue(long id, CancellationToken ct) => Run("issue", async () =>
    {
        await issue.Handle(Me, id, null, ct);
        Flash = T["Requisition {0} issued: the parts are on the van.", id];
    }, ct);

    public Task<IActionResult> OnPostReceiveOld(long id, CancellationToken ct) => Run("oldPart", async () =>
    {
        var part = await receiveOld.Handle(Me, id, new ReceiveOldPartRequest(Genuine, Condition), null, ct);
        Flash = part.Genuine == true ? T["Old part {0} received.", part.PartNumber] : T["Old part {0} received as not genuine: the brand's fines for the order go to the technician.", part.PartNumber];
    }, ct);

    private async Task<IActionResult> Run(string form, Func<Task> action, CancellationToken ct)
    {
        Me.RequireAny("manage the warehouse", PageUsers);
        if (await Attempt(action)) return Redirect("/warehouse" + (LocationId is { } l ? $"?locationId={l}" : ""));
        FailedForm = form;
        await Load(ct);
        return Page();
    }

    /// <summary>Every error of the failed form, in the order they came (an import names many cells).</summary>
    public IEnumerable<string> Errors => ModelState.Values.SelectMany(e => e.Errors).Select(e => e.ErrorMessage);

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("manage the warehouse", PageUsers);
        Catalogue = await parts.List(Me, Q, null, ct);
        Locations = await stock.Locations(Me, ct);
        Levels = await stock.Levels(Me, LocationId, null, ct);
        Waiting = await requisitions.List(Me, "requested", ct);
        Expected = Me.IsAny(ReceiveOldPart.Receivers) ? await oldParts.List(Me, "expected", ct) : [];
    }

}
