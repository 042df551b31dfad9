namespace Fieldline.Web.Infrastructure.Data.Migrations;

/// <summary>
/// The data of the RenormaliseLandlinePhones migration (both providers; one SQL text, for it uses only functions both
/// have). Before it, a landline was stored as typed once its characters were checked — "0731-8888777" and "07318888777"
/// side by side, a dash even in the wrong place ("073-18888777") — and PhoneNumber.Normalize now writes one form: area code
/// (010 and 02x three digits, every other four), "-", the 7- or 8-digit number. The stored numbers of that old shape (digits
/// with at most one dash) are rewritten to it, so that a search by number finds the rows saved before as well. A number
/// with an extension was already written area-number-extension and is left as it is.
/// A customer is unique by branch and number: where two customers of a branch turn out to be one number, the first keeps
/// it in the new form and the later keeps its old spelling (a duplicate for the office to merge, not for a migration).
/// </summary>
internal static class LandlineRenormalisation
{
    public static string Sql => string.Join("\n", [
        Update("Customers", "Phone", unique: true),
        Update("WorkOrders", "ContactPhone"),
        Update("CallRecords", "CallerPhone"),
        Update("Complaints", "Phone"),
        Update("DepotReceipts", "CustomerPhone"),
    ]);

    private static string Digits(string column) => $"replace({column}, '-', '')";

    private static string AreaLength(string column) => $"(CASE WHEN substr({Digits(column)}, 2, 1) IN ('1', '2') THEN 3 ELSE 4 END)";

    private static string Canonical(string column) =>
        $"(CASE WHEN substr({Digits(column)}, 2, 1) IN ('1', '2') THEN substr({Digits(column)}, 1, 3) || '-' || substr({Digits(column)}, 4) " +
        $"ELSE substr({Digits(column)}, 1, 4) || '-' || substr({Digits(column)}, 5) END)";

    private static string OldLandline(string column) =>
        $"{column} IS NOT NULL AND length({column}) - length({Digits(column)}) <= 1 AND ltrim({Digits(column)}, '0123456789') = '' " +
        $"AND substr({column}, 1, 1) = '0' AND substr({column}, 2, 1) <> '0' AND length({Digits(column)}) - {AreaLength(column)} IN (7, 8)";

    private static string Update(string table, string column, bool unique = false)
    {
        var col = $"\"{table}\".\"{column}\"";
        var other = $"c.\"{column}\"";
        var where = $"{OldLandline(col)} AND {Canonical(col)} <> {col}";
        if (unique)
            where += $" AND NOT EXISTS (SELECT 1 FROM \"{table}\" AS c WHERE c.\"BranchId\" = \"{table}\".\"BranchId\" AND c.\"Id\" <> \"{table}\".\"Id\" " +
                     $"AND ({other} = {Canonical(col)} OR (c.\"Id\" < \"{table}\".\"Id\" AND {OldLandline(other)} AND {Canonical(other)} = {Canonical(col)})))";
        return $"UPDATE \"{table}\" SET \"{column}\" = {Canonical(col)} WHERE {where};";
    }
}
