using System.Globalization;

namespace Fieldline.Routing.Vrptw;

// Reads the Solomon / Gehring & Homberger text format: name, VEHICLE block (NUMBER CAPACITY), CUSTOMER rows.
public static class SolomonReader
{
    public static VrptwInstance Read(string path)
    {
        var text = File.ReadAllText(path);
        return Parse(text, Path.GetFileNameWithoutExtension(path));
    }

    public static VrptwInstance Parse(string text, string? fallbackName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var name = lines.FirstOrDefault(l => l.Length > 0) ?? fallbackName ?? "instance";
        int vehicles = -1, capacity = -1;
        var nodes = new List<VrptwNode>();
        var section = "";
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var upper = line.ToUpperInvariant();
            if (upper.StartsWith("VEHICLE", StringComparison.Ordinal)) { section = "vehicle"; continue; }
            if (upper.StartsWith("CUSTOMER", StringComparison.Ordinal)) { section = "customer"; continue; }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (!double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue; // headers
            if (section == "vehicle" && fields.Length >= 2 && vehicles < 0)
            {
                vehicles = int.Parse(fields[0], CultureInfo.InvariantCulture);
                capacity = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            else if (section == "customer")
            {
                if (fields.Length < 7) throw new FormatException($"Customer row needs 7 fields: '{line}'.");
                var v = fields.Take(7).Select(f => double.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                nodes.Add(new VrptwNode((int)v[0], v[1], v[2], (int)v[3], v[4], v[5], v[6]));
            }
        }
        if (vehicles < 0 || capacity <= 0) throw new FormatException("Missing VEHICLE block (NUMBER CAPACITY).");
        if (nodes.Count < 2) throw new FormatException("Missing CUSTOMER rows.");
        return new VrptwInstance(name, vehicles, capacity, nodes);
    }
}
