using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Fieldline.Web.Infrastructure.Http;

/// <summary>
/// Makes <c>/openapi/v1.json</c> say what the API really does, from the same facts the pipeline acts on: the bearer scheme on
/// every endpoint that requires a user, <c>Idempotency-Key</c> on every POST (<see cref="Idempotency.IdempotencyMiddleware"/>),
/// <c>If-Match</c> where the handler reads it, each error answer as a problem document with its status's type, the enums
/// behind string fields, and an operation id and summary per operation (<see cref="Operations"/>, one line each, so the
/// feature files stay as they are). <c>docs/openapi.json</c> is this document committed; a test keeps the two equal, and
/// test.sh lints the committed copy with Redocly's recommended rules.
/// </summary>
public static class OpenApiContract
{
    public static IServiceCollection AddOpenApiContract(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Fieldline API";
            doc.Info.Description = "After-sales field service: work orders, dispatch, SLA clocks, complaints, fines. Errors are RFC 9457 problem documents; "
                + "times are ISO 8601 in the branch's zone; money is CNY with two decimals.";
            doc.Info.License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://fieldline.invalid/licence") };
            doc.Servers = [new OpenApiServer { Url = "http://localhost:5000", Description = "a local Fieldline" }];
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "A token from POST /api/auth/token, sent as Authorization: Bearer <token>. Checked against the account on every request.",
            };
            doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            doc.Components.Schemas["Problem"] = ProblemSchema(validation: false);
            doc.Components.Schemas["ValidationProblem"] = ProblemSchema(validation: true);
            doc.Tags = (doc.Tags ?? new HashSet<OpenApiTag>()).Select(t => new OpenApiTag { Name = t.Name, Description = TagDescription(t.Name!) }).ToHashSet();
            foreach (var (name, schema) in doc.Components.Schemas)
            {
                EnumsOf(name, schema);
                // A field that may be null may also be left out: requests validate what they need and name it in the 400.
                if (schema is OpenApiSchema { Required: { Count: > 0 } required, Properties: { } properties })
                    foreach (var optional in required.Where(p => properties.TryGetValue(p, out var ps) && MayBeNull(ps)).ToList())
                        required.Remove(optional);
            }
            return Task.CompletedTask;
        });
        // InputRules reads strings, money and dates through converters of its own, which hide their types from the schema
        // generator; they are the plain JSON types all the same.
        o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            var nullable = (Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null || type == typeof(string) && context.JsonPropertyInfo is { IsGetNullable: true })
                ? JsonSchemaType.Null : 0;
            (JsonSchemaType Type, string? Format)? plain = type == typeof(string) ? (JsonSchemaType.String, null)
                : type == typeof(decimal) ? (JsonSchemaType.Number, "double")
                : type == typeof(DateOnly) ? (JsonSchemaType.String, "date")
                : type == typeof(DateTimeOffset) ? (JsonSchemaType.String, "date-time") : null;
            if (plain is { } p)
            {
                schema.Type = p.Type | nullable;
                schema.Format = p.Format;
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((op, context, _) =>
        {
            var d = context.Description;
            var method = d.HttpMethod ?? "GET";
            var path = "/" + (d.RelativePath ?? "").Split('?')[0].TrimEnd('/');
            var key = $"{method} {System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)(:[^}]*)?\}", "{$1}")}";
            if (Operations.TryGetValue(key, out var named)) (op.OperationId, op.Summary) = named;
            var metadata = d.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
            op.Security = anonymous ? [] : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];

            op.Parameters ??= [];
            // A filter record bound with [AsParameters] names its query parameters after its C# properties (Page); the
            // contract's names are camelCase (page), as every other list's are. Query keys bind regardless of case.
            foreach (var query in op.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query && p.Name is { Length: > 0 } n && char.IsUpper(n[0])))
                query.Name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(query.Name!);
            if (method == "POST" && !anonymous)
                op.Parameters.Add(new OpenApiParameter
                {
                    Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
                    Description = "Any unique string (a UUID). A retry with the same key and body gets the first answer, refusals included (not a 5xx: after one a retry runs afresh); another body answers 422.",
                });
            var readsIfMatch = d.ParameterDescriptions.Any(p => p.Type == typeof(HttpRequest) || p.Type == typeof(HttpContext))
                || context.Description.ActionDescriptor.EndpointMetadata.OfType<System.Reflection.MethodInfo>().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(HttpRequest)));
            if (method is "POST" or "PATCH" or "PUT" && path.Contains('{', StringComparison.Ordinal) && readsIfMatch)
                op.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Match", In = ParameterLocation.Header, Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    Description = "The object's version as an ETag (\"3\"). A different current version answers 412; nothing is changed.",
                });

            op.Responses ??= [];
            if (!op.Responses.Keys.Any(k => k.StartsWith('2')))
                op.Responses["200"] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [path.EndsWith(".xlsx", StringComparison.Ordinal) ? Features.WorkOrders.ExportWorkOrders.ContentType
                            : path.EndsWith(".pdf", StringComparison.Ordinal) ? "application/pdf" : "text/event-stream"] =
                            new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
            var errors = new List<int>();
            if (op.Parameters.Count > 0 || op.RequestBody is not null || path.Contains('{', StringComparison.Ordinal)) errors.Add(400);
            if (!anonymous) errors.AddRange([401, 403]);
            if (path.Contains('{', StringComparison.Ordinal)) errors.Add(404);
            if (method is "POST" or "PUT" or "PATCH" && !anonymous) errors.Add(409);
            if (op.Parameters.Any(p => p.Name == "If-Match")) errors.Add(412);
            if (method == "POST" && !anonymous) errors.Add(422);
            if (key == "POST /api/auth/token") errors.AddRange([401, 429]);
            foreach (var status in errors.Distinct().Order())
            {
                var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (op.Responses.TryGetValue(code, out var existing) && existing.Content?.Count > 0 && code != "400") continue;
                op.Responses[code] = new OpenApiResponse
                {
                    Description = ErrorDescription(status),
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(status == 400 ? "ValidationProblem" : "Problem", context.Document) },
                    },
                };
            }
            return Task.CompletedTask;
        });
    });

    private const string Bearer = "bearer";

    private static bool MayBeNull(IOpenApiSchema schema) => schema is OpenApiSchema s
        && (s.Type is { } t && t.HasFlag(JsonSchemaType.Null) || s.OneOf?.Any(MayBeNull) == true || s.AnyOf?.Any(MayBeNull) == true);

    private static OpenApiSchema ProblemSchema(bool validation)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem document. 'type' is the RFC 9110 section of the status (e.g. https://tools.ietf.org/html/rfc9110#section-15.5.1 for 400).",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        if (validation)
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Description = "Per field (its JSON path, e.g. charges[0].amount): what is wrong with it.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        return schema;
    }

    private static string ErrorDescription(int status) => status switch
    {
        400 => "Invalid input (type …#section-15.5.1): 'errors' names every bad field; nothing was changed.",
        401 => "No valid token, or the account is deactivated (type …#section-15.5.2).",
        403 => "The caller's role may not do this (type …#section-15.5.4).",
        404 => "No such object, or the caller may not see it (type …#section-15.5.5).",
        409 => "An illegal transition (currentStatus, action), a duplicate, or a stale version (type …#section-15.5.10).",
        412 => "If-Match named a version that is no longer current (type …#section-15.5.13).",
        422 => "The Idempotency-Key was used before with another body (type …#section-15.5.21).",
        429 => "Too many failed sign-ins for the account or from the address; retryAfterMinutes and Retry-After say how long (type …#section-6 of RFC 6585).",
        _ => "Error.",
    };

    private static string TagDescription(string tag) => tag switch
    {
        "Auth" => "Sign-in: a bearer token for a username and password.",
        "Work orders" => "Intake, the lifecycle actions, attachments and the Excel export.",
        "Customers" => "Customers and their registered products.",
        "Calls" => "The call register: every customer call, letter and visit and what came of it.",
        "Branches" => "Branches and their working calendars.",
        "Users" => "Staff accounts and roles.",
        "Technicians" => "Technician profiles: skills, regions, duty.",
        "People" => "Who may work: leave, suspensions, kit checks and the one eligibility check dispatch asks.",
        "Policy" => "The company's versioned service regulation.",
        "Complaints" => "Complaints, their handling and findings.",
        "Return visits" => "The return-visit queue, its script and the visits recorded.",
        "Attendance" => "Office check-ins and the attendance sheet.",
        "SLA" => "Breaches of the regulation's deadlines.",
        "Evaluation" => "Penalty cases, dismissal reviews, eligibility and the pay ledger.",
        "Notifications" => "In-app notifications and the live stream.",
        "Dispatch" => "The dispatch board, today's summary and route plans.",
        "Reports" => "KPIs of a period (each by its rule id), year-end statistics and the regulation's reports.",
        "Technician app" => "What the phone app needs: the service report and the technician's month.",
        "Billing" => "The price list.",
        "Parts" => "The parts catalogue, stock in the warehouse and the vans, and every movement of it.",
        "Maps" => "Addresses as coordinates.",
        "Sandbox" => "The manual clock of a sandbox (Fieldline:Clock=Manual only).",
        "Health" => "Whether the app answers, for load balancers and monitoring.",
        _ => tag,
    };

    /// <summary>String fields whose values are a fixed set: their schema lists them (the wire form is the enum's camelCase name).</summary>
    private static readonly Dictionary<string, Type> EnumProperties = new(StringComparer.Ordinal)
    {
        ["WorkOrderDto.status"] = typeof(Features.WorkOrders.WorkOrderStatus), ["WorkOrderSummaryDto.status"] = typeof(Features.WorkOrders.WorkOrderStatus),
        ["WorkOrderDto.type"] = typeof(Features.WorkOrders.WorkOrderType), ["WorkOrderSummaryDto.type"] = typeof(Features.WorkOrders.WorkOrderType),
        ["CreateWorkOrderRequest.type"] = typeof(Features.WorkOrders.WorkOrderType), ["LeadRequest.type"] = typeof(Features.WorkOrders.WorkOrderType),
        ["WorkOrderDto.channel"] = typeof(Features.WorkOrders.Channel), ["CreateWorkOrderRequest.channel"] = typeof(Features.WorkOrders.Channel),
        ["LeadReceiptDto.channel"] = typeof(Features.WorkOrders.Channel), ["LeadReceiptDto.status"] = typeof(Features.WorkOrders.WorkOrderStatus),
        ["WorkOrderDto.priority"] = typeof(Features.WorkOrders.Priority), ["WorkOrderSummaryDto.priority"] = typeof(Features.WorkOrders.Priority),
        ["CreateWorkOrderRequest.priority"] = typeof(Features.WorkOrders.Priority),
        ["ComplaintDto.type"] = typeof(Features.Complaints.ComplaintType), ["ComplaintSummaryDto.type"] = typeof(Features.Complaints.ComplaintType),
        ["RegisterComplaintRequest.type"] = typeof(Features.Complaints.ComplaintType),
        ["ComplaintDto.level"] = typeof(Features.Complaints.ComplaintLevel), ["ComplaintSummaryDto.level"] = typeof(Features.Complaints.ComplaintLevel),
        ["RegisterComplaintRequest.level"] = typeof(Features.Complaints.ComplaintLevel),
        ["ComplaintDto.status"] = typeof(Features.Complaints.ComplaintStatus), ["ComplaintSummaryDto.status"] = typeof(Features.Complaints.ComplaintStatus),
        ["LeaveRequestDto.status"] = typeof(Features.People.LeaveStatus),
        ["ComplaintDto.channel"] = typeof(Features.WorkOrders.Channel), ["RegisterComplaintRequest.channel"] = typeof(Features.WorkOrders.Channel),
    };

    private static void EnumsOf(string schemaName, IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema s || s.Properties is null) return;
        foreach (var (property, value) in s.Properties)
            if (EnumProperties.TryGetValue($"{schemaName}.{property}", out var type) && value is OpenApiSchema p)
                p.Enum = Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(char.ToLowerInvariant(n[0]) + n[1..])).ToList();
    }

    /// <summary>Each operation's id (a client's method name) and summary, by method and route.</summary>
    private static readonly Dictionary<string, (string Id, string Summary)> Operations = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/token"] = ("issueToken", "Sign in: exchange a username and password for a bearer token"),
        ["GET /health"] = ("getHealth", "Whether the app and its database answer: \"Healthy\" (200), or \"Unhealthy\" (503); no sign-in needed"),
        ["GET /api/products/{serial}"] = ("getProductBySerial", "Find a registered product by its serial number"),
        ["GET /api/price-list"] = ("listPrices", "The branch's price list"),
        ["GET /api/cash/on-hand"] = ("listCashOnHand", "Cash on hand per technician: collected minus handed in, the orders still held, declared and overdue"),
        ["GET /api/cash/hand-ins"] = ("listHandIns", "Hand-ins of cash to finance: the branch's for finance, a technician's own"),
        ["POST /api/cash/hand-ins"] = ("declareHandIn", "A technician declares cash handed to finance, for named orders or all cash held"),
        ["POST /api/cash/hand-ins/{id}/confirm"] = ("confirmHandIn", "Finance confirms a hand-in with its receipt number; each order's hand-in clock stops"),
        ["POST /api/work-orders/{id}/charge-findings"] = ("recordChargeFinding", "A wrong charge found later: PEN-87 (in warranty) or PEN-10 (over 2x), with a refund proposed"),
        ["GET /api/refunds"] = ("listRefunds", "Refunds to customers proposed for a manager's decision"),
        ["POST /api/refunds/{id}/decide"] = ("decideRefund", "A manager approves or rejects a proposed refund"),
        ["GET /api/parts"] = ("listParts", "The parts catalogue (by part number or name, and product line)"),
        ["POST /api/parts"] = ("addPart", "Add a part to the catalogue"),
        ["POST /api/parts/import"] = ("importParts", "Import the catalogue from an Excel workbook (.xlsx): every row checked, all or nothing"),
        ["GET /api/stock"] = ("listStock", "On-hand stock by place and part (a technician: their own van)"),
        ["GET /api/stock/locations"] = ("listStockLocations", "The branch's stock places: its warehouse and each technician's van"),
        ["POST /api/stock/receipts"] = ("receiveStock", "Book parts delivered by a supplier into the warehouse"),
        ["POST /api/stock/transfers"] = ("transferStock", "Move parts between two places of the branch"),
        ["POST /api/stock/stock-takes"] = ("recordStockTake", "Record a stock-take count; the difference becomes a movement"),
        ["POST /api/stock/stock-takes/import"] = ("importStockTake", "Import a stock-take count from an Excel workbook (.xlsx) for one place: every row checked, all or nothing"),
        ["GET /api/requisitions"] = ("listRequisitions", "Parts requisitions: the branch's for the keeper, a technician's own"),
        ["POST /api/requisitions"] = ("requestParts", "A technician asks the warehouse for parts, for an order or for the van"),
        ["POST /api/requisitions/{id}/issue"] = ("issueRequisition", "The keeper issues a requisition: the parts move from the warehouse to the van"),
        ["GET /api/old-parts"] = ("listOldParts", "Old parts expected back at the warehouse, and those received"),
        ["POST /api/old-parts/{id}/receive"] = ("receiveOldPart", "The keeper receives an old part: genuine or not, its condition"),
        ["GET /api/stock/export.xlsx"] = ("exportStock", "The catalogue and the branch's stock as an Excel workbook"),
        ["GET /api/reports/parts-cost"] = ("getPartsCostReport", "The month's parts cost report: per part, quantity issued, unit cost, total, in and out of warranty (SC-26)"),
        ["GET /api/reports/parts-cost.xlsx"] = ("exportPartsCostReport", "The month's parts cost report as an Excel workbook"),
        ["GET /api/reports/parts-cost.pdf"] = ("printPartsCostReport", "The month's parts cost report as a PDF"),
        ["POST /api/reports/parts-cost/submit"] = ("submitPartsCostReport", "The supervisor submits the month's parts cost report to finance (the date is recorded)"),
        ["GET /api/warranty-claims"] = ("listWarrantyClaims", "The branch's claims to the brand with the approval rate (KPI-04)"),
        ["POST /api/warranty-claims"] = ("submitWarrantyClaim", "Claim the in-warranty work and parts of a completed order from the brand, with evidence (WAR-05)"),
        ["POST /api/warranty-claims/{id}/decision"] = ("decideWarrantyClaim", "Record the brand's answer: approved, or rejected with its reason"),
        ["POST /api/depot/receipts"] = ("issueCollectionReceipt", "A customer goods collection receipt for units taken to the depot (R-yyyy-nnnn), optionally sent by SMS"),
        ["GET /api/depot/receipts/{id}"] = ("getCollectionReceipt", "One collection receipt with its units"),
        ["GET /api/depot/receipts/{id}/pdf"] = ("printCollectionReceipt", "The collection receipt as a PDF to print"),
        ["GET /api/depot/queue"] = ("listDepotQueue", "The branch's depot units with their throughput due date (SHOP-01)"),
        ["POST /api/depot/units/{id}/register"] = ("registerDepotUnit", "Enter a unit in transit in the repair register"),
        ["POST /api/depot/units/{id}/repair"] = ("repairDepotUnit", "Record the depot's repair of a unit"),
        ["POST /api/depot/units/{id}/hand-back"] = ("handBackDepotUnit", "The customer collects the repaired unit: the return visit is due in 3 days (SHOP-02)"),
        ["POST /api/depot/units/{id}/approve-return"] = ("approveDepotReturn", "The general manager approves a product return (SHOP-05)"),
        ["POST /api/work-orders/{id}/brand-fines"] = ("recordBrandFine", "Record a fine the brand imposed for an order"),
        ["GET /api/sla/eligibility"] = ("getEligibility", "Evaluation eligibility counters"),
        ["GET /api/branches"] = ("listBranches", "List branches"),
        ["GET /api/branches/{id}"] = ("getBranch", "A branch by id: the caller's own, any for head office, and the head office to everyone"),
        ["POST /api/branches"] = ("createBranch", "Create a branch"),
        ["GET /api/users"] = ("listUsers", "List staff accounts"),
        ["GET /api/users/{id}"] = ("getUser", "A staff account by id: one's own, or one an admin or manager may manage (their branch; head office every branch)"),
        ["POST /api/users"] = ("createUser", "Create a staff account"),
        ["PATCH /api/users/{id}"] = ("updateUser", "Change a staff account's name, roles or active flag"),
        ["GET /api/technicians"] = ("listTechnicians", "List technicians"),
        ["POST /api/technicians"] = ("createTechnician", "Give a user a technician profile"),
        ["GET /api/technicians/{id}"] = ("getTechnician", "Read a technician profile"),
        ["PATCH /api/technicians/{id}"] = ("updateTechnician", "Change a technician's skills, regions or duty"),
        ["GET /api/technicians/{id}/eligibility"] = ("getTechnicianEligibility", "May the technician get work on a day (and this order), and every reason why not"),
        ["GET /api/technicians/{id}/employment"] = ("getTechnicianEmployment", "The person's hiring checklist, uniform and leaving checklist (HR and the person)"),
        ["POST /api/technicians/{id}/employment/items"] = ("recordHiringItem", "Record an item of the onboarding checklist (a test passed, a document, the insurance, the training)"),
        ["POST /api/technicians/{id}/employment/activate"] = ("activateTechnician", "Set a new hire active once the onboarding checklist is complete and insured"),
        ["POST /api/technicians/{id}/employment/uniform"] = ("issueUniform", "Issue the uniform; the person's share of its cost is deducted from pay"),
        ["GET /api/technicians/{id}/employment/documents/{recordId}"] = ("getHrDocument", "A document of the HR record (HR and the person only)"),
        ["POST /api/technicians/{id}/offboarding"] = ("startOffboarding", "Start a person's offboarding: last day, reason and the commission still owed (withheld until complete)"),
        ["POST /api/technicians/{id}/offboarding/items"] = ("recordOffboardingItem", "Record an item of the offboarding checklist; the last one releases the commission to the next payday"),
        ["GET /api/leave-requests"] = ("listLeaveRequests", "Find leave requests"),
        ["POST /api/leave-requests"] = ("requestLeave", "Ask for leave, or record leave phoned in for a technician"),
        ["POST /api/leave-requests/{id}/approve"] = ("approveLeave", "Approve a leave request"),
        ["POST /api/leave-requests/{id}/refuse"] = ("refuseLeave", "Refuse a leave request, with a reason"),
        ["POST /api/leave-requests/{id}/extend"] = ("extendLeave", "Extend approved leave when not back in time (ATT-08)"),
        ["GET /api/suspensions"] = ("listSuspensions", "Find suspensions from work"),
        ["POST /api/suspensions"] = ("suspendTechnician", "Suspend a technician from work for some days"),
        ["GET /api/tool-checks"] = ("listToolChecks", "Find kit spot checks"),
        ["GET /api/tool-checks/round"] = ("getKitRound", "This month's kit spot-check round: everyone's kit and whether they were checked"),
        ["GET /api/company-tools"] = ("listCompanyTools", "Find company tools issued to people (TLS-07)"),
        ["POST /api/company-tools"] = ("issueCompanyTool", "Issue a company tool to a person (item, value, day)"),
        ["POST /api/company-tools/{id}/return"] = ("returnCompanyTool", "Take back a company tool"),
        ["POST /api/company-tools/{id}/report-loss"] = ("reportCompanyToolLoss", "Report a company tool lost or damaged (the policy's share is charged)"),
        ["GET /api/policy/drafts"] = ("listPolicyDrafts", "Find policy changes in sign-off, approved or rejected (GOV-03)"),
        ["POST /api/policy/drafts"] = ("draftPolicyChange", "Draft a policy change for the sign-off: prepared (GOV-03/04)"),
        ["POST /api/policy/drafts/{id}/sign"] = ("signPolicyDraft", "Sign the waiting step: review, countersign, or approve (the general manager; publishes it)"),
        ["POST /api/policy/drafts/{id}/reject"] = ("rejectPolicyDraft", "Reject a policy change in sign-off, with the reason"),
        ["GET /api/trips"] = ("listTrips", "Find service trips: a technician's own, the office's branch's (status, technicianId, mine)"),
        ["POST /api/trips"] = ("sendOnTrip", "Send a technician on a service trip (destination, task, optional work order)"),
        ["GET /api/trips/{id}"] = ("getTrip", "Read a service trip with its arrival report, daily log and trip report"),
        ["POST /api/trips/{id}/arrival"] = ("reportTripArrival", "Report the arrival on site: progress and delaying conditions (PRJ-21)"),
        ["POST /api/trips/{id}/log"] = ("logTripDay", "Record a day's work and an improvement suggestion (PRJ-27)"),
        ["POST /api/trips/{id}/return"] = ("handInTripReport", "Hand in the trip report on return (PRJ-27/28)"),
        ["POST /api/trips/{id}/review"] = ("reviewTrip", "Review the trip report: set the rest (ATT-20), reward adopted suggestions (RWD-08)"),
        ["POST /api/trips/{id}/transfers"] = ("transferTripOrders", "Give the orders a technician away on the trip left behind to others, each to the person chosen for it (DSP-11), all in one commit or none"),
        ["GET /api/certificates/{id}/scan"] = ("getCertificateScan", "The scan of a certificate (HR and the person only)"),
        ["GET /api/certificates"] = ("listCertificates", "Find certificates in the HR record"),
        ["POST /api/certificates"] = ("recordCertificate", "Record a certificate (training pass, electrician, welding, work at height) with its validity"),
        ["GET /api/trainings"] = ("listTrainings", "Find trainings with their attendance lists"),
        ["POST /api/trainings"] = ("createTraining", "Schedule a training or company activity"),
        ["POST /api/trainings/{id}/attendance"] = ("recordTrainingAttendance", "Record a training's attendance list (an absence is fined)"),
        ["POST /api/tool-checks"] = ("recordToolCheck", "Record a person's monthly kit spot check (a missing item is fined and blocks dispatch)"),
        ["GET /api/customers"] = ("listCustomers", "Find customers (by phone or name)"),
        ["POST /api/customers"] = ("createCustomer", "Register a customer"),
        ["GET /api/customers/{id}"] = ("getCustomer", "Read a customer with their products"),
        ["POST /api/customers/{id}/products"] = ("registerProduct", "Register a product to a customer"),
        ["GET /api/policy"] = ("getPolicy", "The policy version in force"),
        ["PUT /api/policy"] = ("publishPolicy", "Publish a new policy version"),
        ["GET /api/policy/presets"] = ("listPolicyPresets", "The regulation presets a policy can start from"),
        ["GET /api/policy/versions"] = ("listPolicyVersions", "The published policy versions"),
        ["POST /api/work-orders"] = ("createWorkOrder", "Record a customer's request as a new work order"),
        ["GET /api/work-orders"] = ("listWorkOrders", "Find work orders the caller may see"),
        ["GET /api/work-orders/export.xlsx"] = ("exportWorkOrders", "The same search as an Excel workbook"),
        ["POST /api/work-orders/leads"] = ("registerLead", "A technician registers an outside job as a lead"),
        ["GET /api/work-orders/{id}"] = ("getWorkOrder", "Read a work order with its clocks, attachments and timeline"),
        ["POST /api/work-orders/{id}/submit"] = ("submitWorkOrder", "Complete a draft request (SC-01): fill in what the policy requires; the order becomes ready for dispatch"),
        ["POST /api/work-orders/{id}/dispatch"] = ("dispatchWorkOrder", "Send the order to a technician"),
        ["POST /api/work-orders/{id}/accept"] = ("acceptWorkOrder", "The technician accepts the order"),
        ["POST /api/work-orders/{id}/release-to-pool"] = ("releaseWorkOrderToPool", "Put an undispatched order into the branch's order pool"),
        ["POST /api/work-orders/{id}/withdraw-from-pool"] = ("withdrawWorkOrderFromPool", "Take an order back out of the order pool"),
        ["POST /api/work-orders/{id}/take"] = ("takeWorkOrder", "A technician takes an order from their branch's pool, if eligible"),
        ["POST /api/work-orders/{id}/reject"] = ("rejectWorkOrder", "The technician rejects the order, with a reason"),
        ["POST /api/work-orders/{id}/return-to-dispatcher"] = ("returnToDispatcher", "Hand the order back to the dispatcher for later"),
        ["POST /api/work-orders/{id}/contact"] = ("contactCustomer", "Record the call to the customer and the appointment"),
        ["POST /api/work-orders/{id}/reschedule"] = ("rescheduleWorkOrder", "Move the appointment, with the customer's consent: the technician (their own order), the dispatcher or the after-sales manager"),
        ["POST /api/work-orders/{id}/check-in"] = ("checkIn", "The technician arrives on site"),
        ["POST /api/work-orders/{id}/complete"] = ("completeWorkOrder", "Complete the job with its evidence, parts and charges"),
        ["POST /api/work-orders/{id}/empty-trip"] = ("recordEmptyTrip", "Record a visit that found nothing to do"),
        ["POST /api/work-orders/{id}/transfer"] = ("transferWorkOrder", "Move the order to another technician"),
        ["POST /api/work-orders/{id}/confirm-unreachable"] = ("confirmUnreachable", "Confirm the customer cannot be reached"),
        ["POST /api/work-orders/{id}/transfer-request"] = ("requestTransfer", "The technician asks for a transfer"),
        ["POST /api/work-orders/{id}/transfer-request/decline"] = ("declineTransferRequest", "The dispatcher declines the technician's pending transfer request, with the reason; the order stays with the technician"),
        ["POST /api/work-orders/{id}/price-approval-request"] = ("requestPriceApproval", "FEE-04: the order's technician asks the supervisors to approve a price above the cap for a price item (the whole line's amount), with the reason; nothing is charged until approved"),
        ["POST /api/work-orders/{id}/meal-report"] = ("reportMeal", "ONS-12 (variant): the order's technician reports, once, a meal the customer insisted on, where the policy asks for such a report (409 elsewhere); the supervisors are told"),
        ["POST /api/work-orders/{id}/acknowledge-completion"] = ("acknowledgeCompletion", "ONS-31: the office acknowledges (备案) a finished installation, where the policy asks for it, so the crew may leave the site; once (409 again or where not asked); the technician is told"),
        ["POST /api/work-orders/{id}/part-time-request"] = ("requestPartTimeDispatch", "DSP-21: the dispatcher asks the after-sales manager to send part-time staff on an undispatched order, with the reason; the manager approves by dispatching them (POST /dispatch) or declines"),
        ["POST /api/work-orders/{id}/part-time-request/decline"] = ("declinePartTimeRequest", "DSP-21: the after-sales manager declines the pending request to send part-time staff, with the reason; the dispatcher is told"),
        ["POST /api/work-orders/{id}/progress-call"] = ("recordProgressCall", "Record a progress call on a long job"),
        ["POST /api/work-orders/{id}/remittance"] = ("recordRemittance", "Record money handed in for the order"),
        ["POST /api/work-orders/{id}/price-approvals"] = ("approvePrice", "A supervisor approves a charge line above the cap or without a price code, with a reason (FEE-04)"),
        ["POST /api/work-orders/{id}/parts-returned"] = ("recordPartsReturned", "Record the old parts handed in"),
        ["POST /api/work-orders/{id}/slip-handed-in"] = ("recordSlipHandedIn", "Record the repair slip or installation card handed in"),
        ["POST /api/work-orders/{id}/cancel"] = ("cancelWorkOrder", "Cancel the order, with a reason"),
        ["POST /api/work-orders/{id}/return-visit"] = ("recordReturnVisit", "Record one return-visit attempt: outcome, the script's answers, satisfaction"),
        ["GET /api/work-orders/{id}/return-visits"] = ("listReturnVisits", "The return-visit attempts recorded for an order"),
        ["GET /api/work-orders/{id}/rating-link"] = ("getRatingLink", "A signed, expiring link for the customer to rate the job"),
        ["POST /api/return-visits"] = ("recordUnitReturnVisit", "Record a depot (SHOP-02) or periodic (RV-02) return visit of a unit without a work order"),
        ["GET /api/return-visits/due"] = ("listDueReturnVisits", "Orders due for a return visit, earliest first, with the script to use"),
        ["GET /api/quality-flags"] = ("listQualityFlags", "On-site check flags (check-in far away, model or serial differs) for a supervisor's review"),
        ["POST /api/quality-flags/{id}/confirm"] = ("confirmQualityFlag", "Confirm a flag; a wrong model installed proposes the policy's PEN-52 fine"),
        ["POST /api/quality-flags/{id}/dismiss"] = ("dismissQualityFlag", "Dismiss a flag, with the reason"),
        ["GET /api/customer-confirmations"] = ("listCustomerConfirmations", "The customers' signed confirmations of installations (INS-03/09/16, ONS-09), pending or filed, for their keepers"),
        ["POST /api/customer-confirmations/{id}/file"] = ("fileCustomerConfirmation", "The keeper (dispatcher, or the materials administrator where the policy says) files a signed confirmation, once"),
        ["POST /api/work-orders/{id}/close"] = ("closeWorkOrder", "Close the order"),
        ["POST /api/work-orders/{id}/attachments"] = ("uploadAttachment", "Upload a photo, signature or document (JPEG, PNG or WebP, by content)"),
        ["GET /api/work-orders/{id}/attachments/{attachmentId}"] = ("downloadAttachment", "Download an attachment"),
        ["GET /api/complaints"] = ("listComplaints", "Find complaints"),
        ["POST /api/complaints"] = ("registerComplaint", "Register a complaint"),
        ["GET /api/complaints/{id}"] = ("getComplaint", "Read a complaint"),
        ["POST /api/complaints/{id}/verify"] = ("verifyComplaint", "Verify a complaint"),
        ["POST /api/complaints/{id}/reject"] = ("rejectComplaint", "Reject a complaint"),
        ["POST /api/complaints/{id}/resolve"] = ("resolveComplaint", "Resolve a complaint"),
        ["POST /api/complaints/{id}/findings"] = ("recordComplaintFinding", "Record what a complaint establishes against a person"),
        ["GET /api/complaints/{id}/finding-rules"] = ("listFindingRules", "The fines a finding on this complaint may name"),
        ["POST /api/attendance/office-check-ins"] = ("recordOfficeCheckIn", "A technician checks in at the office"),
        ["GET /api/attendance/days"] = ("listAttendanceDays", "A branch's attendance sheet, day by day and person by person, with the absenteeism fines it proposed"),
        ["GET /api/attendance/office-check-ins"] = ("listOfficeCheckIns", "List office check-ins"),
        ["GET /api/sla/breaches"] = ("listBreaches", "List deadline breaches"),
        ["GET /api/branches/{branchId}/calendar"] = ("getCalendar", "A branch's working calendar"),
        ["PUT /api/branches/{branchId}/calendar"] = ("putCalendar", "Change a branch's working calendar"),
        ["GET /api/penalty-cases"] = ("listPenaltyCases", "Find penalty cases"),
        ["POST /api/penalty-cases/private-job"] = ("recordPrivateJob", "Record a technician's private job"),
        ["POST /api/penalty-cases/{id}/confirm"] = ("confirmPenaltyCase", "Confirm a proposed fine"),
        ["POST /api/penalty-cases/{id}/appeal"] = ("appealPenaltyCase", "Appeal a confirmed fine (the person fined, within the policy's window)"),
        ["POST /api/penalty-cases/{id}/appeal-decision"] = ("decideAppeal", "Decide an appeal: upheld, reduced or dismissed, with a reason"),
        ["POST /api/penalty-cases/{id}/dismiss"] = ("dismissPenaltyCase", "Dismiss a proposed fine, with a reason"),
        ["GET /api/dismissal-reviews"] = ("listDismissalReviews", "List reviews of dismissed fines"),
        ["POST /api/dismissal-reviews/{id}/decide"] = ("decideDismissalReview", "Decide a dismissal review"),
        ["POST /api/violations"] = ("recordViolation", "Record a violation of a policy rule against a person, with evidence"),
        ["GET /api/pay-statements"] = ("listPayStatements", "A month's pay statements: lines, totals by kind, total"),
        ["GET /api/pay-statements/workbook.xlsx"] = ("getPayStatementWorkbook", "The branch's pay statements of a month as an Excel workbook"),
        ["GET /api/pay-statements/{personUserId}/{month}.pdf"] = ("getPayStatementPdf", "A person's pay statement of a month as a PDF (Chinese)"),
        ["GET /api/assessments"] = ("listAssessments", "The month's assessment of each technician on the company's form: measured items filled in, the supervisor's scores, total, pass"),
        ["PUT /api/assessments/{personUserId}/{month}"] = ("scoreAssessment", "The supervisor scores the items of a technician's monthly assessment the system cannot measure"),
        ["GET /api/pay-ledger"] = ("listPayLedger", "A month's pay-ledger lines and totals"),
        ["GET /api/pay-ledger/periods"] = ("listPayPeriods", "Closed pay months"),
        ["POST /api/pay-ledger/periods/close"] = ("closePayPeriod", "Close a pay month"),
        ["POST /api/pay-periods/close"] = ("closePayPeriodAlias", "Close a pay month (the same as POST /api/pay-ledger/periods/close)"),
        ["GET /api/notifications"] = ("listNotifications", "The caller's notifications"),
        ["POST /api/notifications/{id}/read"] = ("markNotificationRead", "Mark a notification read"),
        ["GET /api/calls"] = ("listCalls", "The call register of a branch's day: every customer call, letter and visit and what came of it (INT-04/05)"),
        ["POST /api/calls"] = ("recordCall", "Record a customer call, letter or visit and what was done with it; urgent ones are reported to the managers at once (INT-04/05/21)"),
        ["POST /api/notifications/read-all"] = ("markAllNotificationsRead", "Mark the caller's unread notifications read, up to the newest the reader has seen (upToId) or all"),
        ["GET /api/notifications/stream"] = ("streamNotifications", "Live notifications as server-sent events"),
        ["GET /api/deliveries"] = ("listDeliveries", "Deliveries that failed or died, for an admin to see"),
        ["POST /api/deliveries/{id}/retry"] = ("retryDelivery", "Try a dead delivery again from scratch"),
        ["PUT /api/customers/{id}/location"] = ("setCustomerLocation", "Pin a customer's location on the map"),
        ["GET /api/geocode"] = ("geocode", "Find the coordinates of an address"),
        ["GET /api/me"] = ("getMe", "The signed-in user and their saved language"),
        ["PUT /api/me/language"] = ("putMyLanguage", "Save the signed-in user's language"),
        ["POST /api/dispatch/plan"] = ("planDay", "Propose a day's routes for the branch"),
        ["POST /api/dispatch/suggest"] = ("suggestTechnicians", "Suggest technicians for an order"),
        ["GET /api/dispatch/board"] = ("getDispatchBoard", "The dispatch board"),
        ["GET /api/dispatch/pool"] = ("listOrderPool", "The orders in a branch's pool, without the customer's details; for a technician, whether they may take each"),
        ["GET /api/dispatch/today"] = ("getToday", "Today in the branch"),
        ["POST /api/work-orders/{id}/trip-category"] = ("setTripCategory", "Set the trip category of a completed order for the year-end statistics (RPT-17)"),
        ["GET /api/reports/year-end"] = ("getYearEndStatistics", "The year's trips by category (RPT-17), and whether they add up"),
        ["GET /api/reports/year-end.xlsx"] = ("getYearEndWorkbook", "The year-end statistics as a workbook; refused (409) while the categories do not add up"),
        ["GET /api/reports/kpis"] = ("getKpis", "The KPIs of a period, by rule id, beside the previous period"),
        ["GET /api/reports/faults"] = ("getFaultStatistics", "Fault categories per product model and month over a period, and the models whose faults rose (RPT-06)"),
        ["GET /api/reports/archive"] = ("listReportArchive", "The regulation's reports built on their cadence, whether each required report is late, and the weekly plans"),
        ["POST /api/reports/archive"] = ("buildArchivedReport", "A manager builds a report of an ended period now (one the scheduler did not build); an existing one is returned as it is"),
        ["GET /api/reports/archive/{id}.pdf"] = ("printArchivedReport", "An archived report as a PDF, from the figures it was built with"),
        ["GET /api/reports/archive/{id}.xlsx"] = ("exportArchivedReport", "An archived report as an Excel workbook, from the figures it was built with"),
        ["GET /api/reports/plans"] = ("listWeeklyPlans", "The branch's weekly plans of the last weeks and the next, with their approval state (RPT-11)"),
        ["POST /api/reports/plans"] = ("submitWeeklyPlan", "The supervisor submits the next week's plan for the department manager's approval (RPT-11)"),
        ["POST /api/reports/plans/{id}/approve"] = ("approveWeeklyPlan", "The department manager approves a weekly plan (RPT-11)"),
        ["GET /api/reports/problems"] = ("listTechnicalProblems", "The problems sent to the technical department and their answers (RPT-02/09); open ones, a period's, or the caller's own (a technician's)"),
        ["POST /api/reports/problems"] = ("raiseTechnicalProblem", "The supervisor, or the technician about one of their orders, sends a problem found in service (product model, fault, photo) to the technical department (RPT-02/09)"),
        ["POST /api/reports/problems/{id}/answer"] = ("answerTechnicalProblem", "The technical department's answer to a problem, recorded once (RPT-02/09)"),
        ["GET /api/work-orders/{id}/report.pdf"] = ("getServiceReport", "The service report as a PDF"),
        ["GET /api/work-orders/{id}/report-link"] = ("getReportLink", "A signed link to the report for the customer"),
        ["GET /api/mobile/my-month"] = ("getMyMonth", "The technician's month: jobs and ledger"),
        ["GET /api/mobile/colleagues"] = ("listColleagues", "The other technicians of the caller's branch, by name, whom a transfer request may name (DSP-11)"),
        ["GET /api/sandbox/clock"] = ("getSandboxClock", "The sandbox clock"),
        ["POST /api/sandbox/clock"] = ("setSandboxClock", "Move the sandbox clock and run what falls due"),
    };
}
