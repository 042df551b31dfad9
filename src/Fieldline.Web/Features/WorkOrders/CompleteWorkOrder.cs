using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record PartInput(string? PartNumber, string? Name, int? Quantity);

/// <summary>
/// A charge line: a <c>priceCode</c> of the price list or a <c>partNumber</c> of the catalogue (its list price), or free
/// text. Without an <c>amount</c> the line is priced: free where the warranty makes it free, else the standard × quantity
/// (see <see cref="PriceCharges"/>).
/// </summary>
/// <param name="Description">What was charged (<see cref="DescriptionMeaning"/>, also in the OpenAPI schema).</param>
/// <param name="Amount">CNY, two decimals; left out, the line is priced from its price code or part.</param>
/// <param name="PriceCode">A code of the active price list (GET /api/price-list).</param>
/// <param name="Quantity">1–999; 1 when left out.</param>
/// <param name="PartNumber">A part of the catalogue, charged at its list price; not together with a price code.</param>
public sealed record ChargeInput([property: System.ComponentModel.Description(ChargeInput.DescriptionMeaning)] string? Description, decimal? Amount,
    string? PriceCode = null, int? Quantity = null, string? PartNumber = null)
{
    public const string DescriptionMeaning = "What was charged, as the customer's slip shows it (up to 200 characters). Required for a free-text line; "
        + "with a priceCode or partNumber it may be left out and is then the name of the price list's line or of the catalogue's part.";
}

/// <summary>
/// A customer's signed confirmation taken on site (INS-03/09/16, ONS-09): <c>topic</c> (capacityMismatch, aboveElectronics,
/// badPosition, preLaidPipes), who signed (the customer in person), and the signature as a data URL.
/// </summary>
public sealed record ConfirmationInput(string? Topic, string? SignerName, string? Signature);

/// <summary>
/// <c>photos</c> (optional data URLs) lets a client hand in photos with the completion instead of uploading them first;
/// <c>invoiceNumber</c> is the invoice issued for the money collected (FEE-07); <c>paymentMethod</c> is <c>cash</c> (the
/// default: the technician hands it in, FEE-05) or <c>qr</c> (the customer paid by the company's payment QR: recorded as paid).
/// <c>unitModel</c> is the model read off the unit (INS-01), <c>unitModelSource</c> where it was read: <c>unit</c> (its barcode
/// or nameplate, the default) or <c>cartonLabel</c>. <c>confirmations</c> are the customer's signed confirmations an
/// installation needs: one per unmatched capacity (<c>checklist.capacityMatchesRoom: false</c>, INS-03) and per pre-laid pipe
/// job (<c>checklist.preLaidPipes: true</c>, INS-16); for a bad position (INS-09, ONS-09) where the policy requires it.
/// </summary>
public sealed record CompleteRequest(string? Resolution, string? FaultCategory, string? Barcode, int? TestRunMinutes,
    Dictionary<string, JsonElement>? Checklist, List<PartInput>? PartsUsed, List<ChargeInput>? Charges, string? Signature, int? Version,
    List<string>? Photos = null, string? InvoiceNumber = null, string? UnitModel = null, string? UnitModelSource = null, string? PaymentMethod = null,
    List<ConfirmationInput>? Confirmations = null);

/// <summary>
/// The technician finishes the work on site: resolution, barcode, test run, checklist, parts, charges, signature.
/// The order's own policy version decides which evidence must be in (CMP-09) and how far a price may exceed the standard (FEE-01).
/// </summary>
public sealed class CompleteWorkOrder(TechnicianActions actions, AppDbContext db, TimeProvider clock, PolicyStore policies, IBlobStore blobs, ProposePenaltyCase penalties,
    Parts.UseVanParts vanParts, Quality.CheckOnSite checks, Customers.RegisterInstalledProduct registration, BranchZones zones, PriceCharges pricing,
    ReturnVisits.SendRatingLink ratingLink)
{
    private const int MaxPhotos = 10;
    private const int MaxConfirmations = 4;

    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, CompleteRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("complete", TechnicianActions.AllowedRoles);
        var v = new Validator();
        v.RequiredText(r.Resolution, 2000, "resolution").MaxLength(r.FaultCategory, 64, "faultCategory").MaxLength(r.Barcode, 64, "barcode").MaxLength(r.InvoiceNumber, 64, "invoiceNumber")
         .MaxLength(r.UnitModel, 64, "unitModel");
        if (r.UnitModelSource is not null && !Quality.CheckOnSite.ModelSources.Contains(r.UnitModelSource))
            v.Add("unitModelSource", "{0}: '{1}' is not one of the allowed values: {2}.", r.UnitModelSource, Msg.Join(Quality.CheckOnSite.ModelSources.Select(s => Msg.Choice("modelSource", s))));
        if (r.TestRunMinutes is < 0 or > 1440) v.Add("testRunMinutes", "{0} must be between 0 and 1440.");
        if (r.Checklist is { Count: > 100 }) v.Add("checklist", "At most 100 checklist items.");
        foreach (var key in r.Checklist?.Keys ?? Enumerable.Empty<string>())
            if (key.Length > 64) v.Add("checklist", "Checklist item names are at most 64 characters.");
        var parts = new List<WorkOrderPart>();
        for (var i = 0; i < (r.PartsUsed?.Count ?? 0); i++)
        {
            var p = r.PartsUsed![i];
            v.RequiredText(p?.PartNumber, 64, $"partsUsed[{i}].partNumber").MaxLength(p?.Name, 100, $"partsUsed[{i}].name");
            if (p?.Quantity is null or < 1 or > 999) v.Add($"partsUsed[{i}].quantity", "{0} must be between 1 and 999.");
            else if (v.IsValid) parts.Add(new WorkOrderPart { PartNumber = p.PartNumber!.Trim(), Name = p.Name, Quantity = p.Quantity.Value });
        }
        var lines = new List<ChargeInput>();
        for (var i = 0; i < (r.Charges?.Count ?? 0); i++)
        {
            var c = r.Charges![i];
            var coded = !string.IsNullOrWhiteSpace(c?.PriceCode) || !string.IsNullOrWhiteSpace(c?.PartNumber);
            // A coded line's description defaults to the price list's or the catalogue's name (below); free text must say what it is.
            if (coded) v.MaxLength(c?.Description, 200, $"charges[{i}].description");
            else v.RequiredText(c?.Description, 200, $"charges[{i}].description");
            if (c?.Amount is null ? !coded : c.Amount is < 0 or > 100_000m || decimal.Round(c.Amount.Value, 2) != c.Amount.Value)
                v.Add($"charges[{i}].amount", "{0} must be between 0.00 and 100000.00 CNY with at most two decimals.");
            if (c?.Quantity is < 1 or > 999) v.Add($"charges[{i}].quantity", "{0} must be between 1 and 999.");
            v.MaxLength(c?.PriceCode, 32, $"charges[{i}].priceCode").MaxLength(c?.PartNumber, 64, $"charges[{i}].partNumber");
            if (!string.IsNullOrWhiteSpace(c?.PriceCode) && !string.IsNullOrWhiteSpace(c?.PartNumber))
                v.Add($"charges[{i}].partNumber", "{0}: give a price code or a part number, not both.");
            if (v.IsValid)
                lines.Add(c! with
                {
                    Description = string.IsNullOrWhiteSpace(c.Description) ? null : c.Description.Trim(), PriceCode = string.IsNullOrWhiteSpace(c.PriceCode) ? null : c.PriceCode.Trim(),
                    PartNumber = string.IsNullOrWhiteSpace(c.PartNumber) ? null : c.PartNumber.Trim(), Quantity = c.Quantity ?? 1,
                });
        }
        PaymentMethod? payment = r.PaymentMethod switch { null or "cash" => WorkOrders.PaymentMethod.Cash, "qr" => WorkOrders.PaymentMethod.Qr, _ => null };
        if (payment is null) v.Add("paymentMethod", "{0}: '{1}' is not one of the allowed values: {2}.", r.PaymentMethod, Msg.Join(new[] { "cash", "qr" }.Select(m => Msg.Choice("paymentMethod", m))));
        var signature = r.Signature is null ? null : DecodeImage(v, r.Signature, "signature", ImageContent.MaxSignatureBytes);
        var photos = new List<(string ContentType, byte[] Bytes)>();
        if (r.Photos is { Count: > MaxPhotos }) v.Add("photos", "At most {1} photos with the completion; upload more as attachments.", MaxPhotos);
        else
            for (var i = 0; i < (r.Photos?.Count ?? 0); i++)
                if (DecodeImage(v, r.Photos![i] ?? "", $"photos[{i}]", (int)ImageContent.MaxPhotoBytes) is { } photo) photos.Add(photo);
        var confirmations = Confirmations(v, r.Confirmations);
        v.ThrowIfInvalid();

        // An unknown price code or part is bad input whatever the order; the warranty and the cap depend on the order, checked below.
        var references = await pricing.References(v, lines, ct);
        v.ThrowIfInvalid();

        // What the evidence check needs, read before the (synchronous) action runs. It is only used after the action has
        // checked that the order is the caller's, so nothing about another technician's order is revealed.
        var facts = await db.WorkOrders.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new { o.PolicyVersionId, o.InWarranty, Photos = db.Attachments.Count(a => a.WorkOrderId == o.Id && a.Kind == "photo") })
            .FirstOrDefaultAsync(ct);
        var policy = facts is null ? null : await policies.ById(db, facts.PolicyVersionId, ct);
        // The bytes go to the blob store first; if the completion is then refused they stay unreferenced, never half-saved.
        var photoHashes = new List<string>();
        foreach (var (_, bytes) in photos) photoHashes.Add(await blobs.PutAsync(bytes, ct));
        var signatureHash = signature is { } s ? await blobs.PutAsync(s.Bytes, ct) : null;
        var confirmationHashes = new List<string>();
        foreach (var c in confirmations) confirmationHashes.Add(await blobs.PutAsync(c.Image.Bytes, ct));
        var charges = lines.Select((c, i) => new WorkOrderCharge
        {
            Description = c.Description ?? references[i]!.Name, PriceCode = c.PriceCode, PartNumber = c.PartNumber, Quantity = c.Quantity!.Value,
            Amount = c.Amount ?? (policy is null ? 0m : PriceCharges.DefaultAmount(references[i], c.Quantity!.Value, facts!.InWarranty, policy)),
        }).ToList();

        return await actions.Run(user, id, "complete", r.Version, ifMatch, async (order, actor, now) =>
        {
            // The state comes first: completing an order that is not in progress is a 409, whatever the evidence.
            if (order.Status != WorkOrderStatus.InProgress) throw new IllegalTransitionException(order.Status, "complete");
            var problems = new Validator();
            PriceCharges.Check(problems, policy!, order, charges, references);
            CheckEvidence(problems, policy!, order, r, facts!.Photos + photos.Count, signature is not null, charges.Sum(c => c.Amount));
            Quality.CheckOnSite.Refusals(problems, order, policy!, r.TestRunMinutes, r.UnitModel, r.UnitModelSource, actor, now);
            CheckConfirmations(problems, policy!, order, r.Checklist, confirmations.Select(c => c.Topic).ToHashSet());
            problems.ThrowIfInvalid();
            foreach (var ((type, bytes), hash) in photos.Zip(photoHashes))
                db.Attachments.Add(new Attachment
                {
                    WorkOrderId = order.Id, Kind = "photo", ContentType = type, FileName = "photo" + ImageContent.Extension(type),
                    Size = bytes.Length, BlobHash = hash, UploadedAt = clock.GetUtcNow(), UploadedByUserId = user.UserId,
                });

            Attachment? signatureAttachment = null;
            if (signature is { } sig)
            {
                var attachment = new Attachment
                {
                    WorkOrderId = order.Id, Kind = "signature", ContentType = sig.ContentType, FileName = "signature" + ImageContent.Extension(sig.ContentType),
                    Size = sig.Bytes.Length, BlobHash = signatureHash, UploadedAt = clock.GetUtcNow(), UploadedByUserId = user.UserId,
                };
                db.Attachments.Add(attachment);
                signatureAttachment = attachment;
            }
            foreach (var (c, hash) in confirmations.Zip(confirmationHashes))
            {
                var image = new Attachment
                {
                    WorkOrderId = order.Id, Kind = "confirmation", ContentType = c.Image.ContentType, FileName = $"confirmation-{JsonNames.Of(c.Topic)}{ImageContent.Extension(c.Image.ContentType)}",
                    Size = c.Image.Bytes.Length, BlobHash = hash, UploadedAt = now, UploadedByUserId = user.UserId,
                };
                db.Attachments.Add(image);
                db.CustomerConfirmations.Add(new Quality.CustomerConfirmation
                {
                    WorkOrderId = order.Id, BranchId = order.BranchId, Topic = c.Topic, SignerName = c.Signer, Attachment = image, SignedAt = now,
                    RecordedByUserId = user.UserId, KeeperRole = Quality.CustomerConfirmation.Keeper(c.Topic, policy!),
                });
            }
            // Catalogue parts come off the technician's van in this same save (409 naming the part when the van lacks it).
            if (order.TechnicianId is { } technicianId)
                await vanParts.Handle(order.Id, technicianId, parts.Select(p => (p.PartNumber, p.Quantity)), user.UserId, ct);
            order.Complete(new Completion(r.Resolution!.Trim(), r.FaultCategory, r.Barcode, r.TestRunMinutes, r.Checklist, signatureAttachment, parts, charges,
                r.InvoiceNumber?.Trim() is { Length: > 0 } invoice ? invoice : null, payment!.Value), actor, now);
            await ProposeRepeatFine(order, policy!, now, ct);
            checks.Completion(order, r.Barcode, r.UnitModel, actor, now);
            if (order.Type == WorkOrderType.Install) await RegisterUnit(order, policy!, r, actor, now, ct);
            await ratingLink.Queue(order, now, ct);
            if (AcknowledgeCompletion.Needed(order, policy!))
                Notify.Queue(db, now, "completionToAcknowledge", order.BranchId, order.Id, Msg.Of("{0}: acknowledge the finished installation", order.Code),
                    Msg.Of("{0} finished the installation; the crew waits on site for the company's acknowledgement.", actor.Name), [], [Roles.Dispatcher]);
        }, ct);
    }

    /// <summary>
    /// WAR-02: the installed unit is registered to the customer with the warranty the order's policy gives its product line,
    /// from the completion day in the branch's zone; a barcode already registered to another unit is flagged instead.
    /// </summary>
    private async Task RegisterUnit(WorkOrder order, CompanyPolicy policy, CompleteRequest r, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var installedOn = BranchTime.Today(now, await zones.For(order.BranchId, ct));
        var model = string.IsNullOrWhiteSpace(r.UnitModel) ? order.ProductModel : r.UnitModel.Trim();
        var (product, refusal) = await registration.Handle(new Customers.InstalledUnit(order.CustomerId, order.ProductId, order.ProductLine, model, r.Barcode,
            order.PurchaseDate, installedOn, policy.WarrantyMonthsFor(order.ProductLine), policy.WarrantyExclusions), ct);
        if (product is not null) order.InstalledUnit(product);
        else if (refusal == "serialTaken") checks.SerialTaken(order, r.Barcode!.Trim(), actor, now);
    }

    /// <summary>
    /// PEN-86 (SC-22): a repeat repair's completion proposes the policy's fine to the technician of the repair it repeats,
    /// left for a supervisor to confirm that it was the same fault; once per order.
    /// </summary>
    private async Task ProposeRepeatFine(WorkOrder order, CompanyPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        if (order.RepeatOfId is not { } first || policy.Rule("repeatFaultAfterRepair") is not { } rule) return;
        var earlier = await db.WorkOrders.AsNoTracking().Where(o => o.Id == first)
            .Select(o => new { o.Code, o.CompletedAt, o.FaultDescription, Person = db.Technicians.Where(t => t.Id == o.TechnicianId).Select(t => (int?)t.UserId).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (earlier?.Person is not { } person || await db.PenaltyCases.AnyAsync(c => c.WorkOrderId == order.Id && c.PenaltyKey == rule.Key, ct)) return;
        await penalties.Handle(new PenaltyFinding(policy, rule, person, order.BranchId, now, new
        {
            workOrder = order.Code, trigger = rule.Trigger, repeatOfCode = earlier.Code, firstCompletedAt = earlier.CompletedAt,
        })
        { WorkOrderId = order.Id, ConfirmWhenCertain = false }, ct);
    }

    /// <summary>
    /// CMP-09: photos, location, barcode (ONS-22), signature (ONS-20), service sticker (ONS-19), test run (INS-23), and the
    /// invoice for money collected (FEE-07).
    /// </summary>
    private static void CheckEvidence(Validator v, CompanyPolicy policy, WorkOrder order, CompleteRequest r, int photos, bool signed, decimal charged)
    {
        var required = policy.CompletionEvidenceRequired;
        if (required.Contains("photos") && photos == 0)
            v.Add("photos", "The policy requires at least one photo of the work: upload it before completing.");
        if (required.Contains("gpsLocation") && order.CheckInLat is null)
            v.Add("gpsLocation", "The policy requires the location of the check-in.");
        if (required.Contains("barcodeScan") && string.IsNullOrWhiteSpace(r.Barcode))
            v.Add("barcode", "The policy requires the unit's barcode.");
        if (policy.CustomerSignatureRequired && !signed)
            v.Add("signature", "The policy requires the customer's signature.");
        if (policy.ServiceStickerRequired
            && !(r.Checklist?.TryGetValue("serviceSticker", out var sticker) == true && sticker.ValueKind == JsonValueKind.True))
            v.Add("checklist.serviceSticker", "The policy requires the service sticker to be applied (checklist.serviceSticker: true).");
        if (policy.TestRunMinMinutes is > 0 and var min && (r.TestRunMinutes ?? 0) < min)
            v.Add("testRunMinutes", "The policy requires a test run of at least {1} minutes.", min);
        if (policy.InvoiceRequiredForPaidService && charged > 0 && string.IsNullOrWhiteSpace(r.InvoiceNumber))
            v.Add("invoiceNumber", "The policy requires the number of the invoice issued for the money collected (FEE-07).");
    }

    /// <summary>The confirmations' shape: a known topic once, who signed, a signature image.</summary>
    private static List<(Quality.ConfirmationTopic Topic, string Signer, (string ContentType, byte[] Bytes) Image)> Confirmations(Validator v, List<ConfirmationInput>? input)
    {
        var result = new List<(Quality.ConfirmationTopic, string, (string, byte[]))>();
        if (input is { Count: > MaxConfirmations })
        {
            v.Add("confirmations", "At most {1} confirmations.", MaxConfirmations);
            return result;
        }
        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var c = input![i];
            var topic = v.Enum<Quality.ConfirmationTopic>(c?.Topic, $"confirmations[{i}].topic", kind: "confirmationTopic");
            v.RequiredText(c?.SignerName, 50, $"confirmations[{i}].signerName").Required(c?.Signature, $"confirmations[{i}].signature");
            var image = c?.Signature is null ? null : DecodeImage(v, c.Signature, $"confirmations[{i}].signature", ImageContent.MaxSignatureBytes);
            if (topic is { } t && result.Any(x => x.Item1 == t)) v.Add($"confirmations[{i}].topic", "{0}: one confirmation per topic.");
            else if (topic is { } known && image is { } img && !string.IsNullOrWhiteSpace(c!.SignerName)) result.Add((known, c.SignerName.Trim(), img));
        }
        return result;
    }

    /// <summary>
    /// INS-03: an installation whose capacity does not suit the room (<c>checklist.capacityMatchesRoom: false</c>, or, with
    /// the company's table <c>installation.capacityRoomAreaTable</c>, <c>checklist.capacityHp</c> and <c>roomAreaM2</c> beyond
    /// the unit's row — SC-19) is done only with the customer's signed confirmation; INS-16: so is a pre-laid pipe job (<c>checklist.preLaidPipes: true</c>)
    /// where the policy asks for it; INS-09/ONS-09: a bad position where the policy makes the preferred signature required.
    /// </summary>
    private static void CheckConfirmations(Validator v, CompanyPolicy policy, WorkOrder order, Dictionary<string, JsonElement>? checklist, HashSet<Quality.ConfirmationTopic> given)
    {
        if (order.Type != WorkOrderType.Install) return;
        bool Is(string item, JsonValueKind kind) => checklist?.TryGetValue(item, out var value) == true && value.ValueKind == kind;
        void Need(Quality.ConfirmationTopic topic, string message)
        {
            if (!given.Contains(topic)) v.Add($"confirmations.{JsonNames.Of(topic)}", message);
        }
        static string N(decimal x) => x.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        decimal? Number(string item) => checklist?.TryGetValue(item, out var value) == true && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : null;
        // SC-19: with the company's capacity table, the unit's HP and the room's area decide it, whatever was ticked.
        if (Number("capacityHp") is { } hp && Number("roomAreaM2") is { } area && policy.MaxRoomAreaFor(hp) is { } max && area > max)
        {
            if (!given.Contains(Quality.ConfirmationTopic.CapacityMismatch))
                v.Add("confirmations.capacityMismatch", Msg.Of("A {0} HP unit suits a room of up to {1} m², not {2} m² (INS-03): install only with the customer's own signed confirmation.",
                    N(hp), N(max), N(area)));
        }
        else if (Is("capacityMatchesRoom", JsonValueKind.False))
            Need(Quality.ConfirmationTopic.CapacityMismatch, "The unit's capacity does not suit the room (INS-03): install only with the customer's own signed confirmation.");
        if (policy.PreLaidPipeConfirmationRequired && Is("preLaidPipes", JsonValueKind.True))
            Need(Quality.ConfirmationTopic.PreLaidPipes, "A pre-laid pipe job needs the customer's signed confirmation that the model matches the pipes laid (INS-16).");
        if (policy.BadPositionWaiverRequired && Is("notAboveElectronics", JsonValueKind.False))
            Need(Quality.ConfirmationTopic.AboveElectronics, "The indoor unit is above a TV, audio system or computer (INS-09): the policy requires the customer's signed confirmation.");
        if (policy.BadPositionWaiverRequired && Is("positionGood", JsonValueKind.False))
            Need(Quality.ConfirmationTopic.BadPosition, "The position hurts the unit's performance (ONS-09): the policy requires the customer's signed confirmation.");
    }

    /// <summary>Accepts "data:image/png;base64,…" whose bytes really are an image within the size limit.</summary>
    private static (string ContentType, byte[] Bytes)? DecodeImage(Validator v, string dataUrl, string field, int maxBytes)
    {
        var comma = dataUrl.IndexOf(',', StringComparison.Ordinal);
        if (!dataUrl.StartsWith("data:image/", StringComparison.Ordinal) || comma < 0 || !dataUrl[..comma].EndsWith(";base64", StringComparison.Ordinal))
        {
            v.Add(field, "{0} must be a data URL: data:image/png;base64,….");
            return null;
        }
        if ((long)dataUrl.Length - comma > (long)maxBytes * 4 / 3 + 4)
        {
            v.Add(field, "{0} is larger than {1} MB.", maxBytes / 1024 / 1024);
            return null;
        }
        byte[] bytes;
        try { bytes = Convert.FromBase64String(dataUrl[(comma + 1)..]); }
        catch (FormatException)
        {
            v.Add(field, "{0} is not valid base64.");
            return null;
        }
        var type = ImageContent.Sniff(bytes);
        if (type is null) v.Add(field, "{0} is not a PNG, JPEG or WebP image.");
        return type is null ? null : (type, bytes);
    }
}
