using Fieldline.Routing.Search;

namespace Fieldline.Routing.Dispatch;

// A seeded, product-shaped day for a branch around Changsha: technicians living in the city's districts with two
// product lines each, orders clustered by district (about 25 km across), 2-hour / half-day / all-day appointment
// windows, SLA deadlines on about a third of the orders, ~12 % urgent, a few pinned to a technician.
public static class DayGenerator
{
    public static readonly GeoPoint Changsha = new(28.228, 112.939);

    private static readonly string[] Lines = ["ac", "fridge", "washer", "water-heater"];
    private static readonly double[] LineWeights = [0.4, 0.2, 0.2, 0.2];

    public static DispatchRequest Generate(int technicians = 40, int orders = 300, long seed = 1, DateOnly? date = null)
    {
        var rng = new Rng(seed);
        var day = date ?? new DateOnly(2026, 6, 1);
        var offset = TimeSpan.FromHours(8); // China Standard Time
        DateTimeOffset At(double hours) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), offset).AddHours(hours);

        // District centres within ~11 km of the city centre.
        var districts = Enumerable.Range(0, 7).Select(_ => Offset(Changsha, rng, 11, uniform: true)).ToArray();
        GeoPoint Somewhere() => Offset(districts[rng.Next(districts.Length)], rng, 3.5, uniform: false);

        var techs = new List<Technician>(technicians);
        for (var k = 0; k < technicians; k++)
        {
            var first = Pick(rng);
            var second = first;
            while (second == first) second = Pick(rng);
            var skills = new List<string> { $"{Lines[first]}.repair", $"{Lines[second]}.repair", $"{Lines[first]}.install" };
            if (rng.NextDouble() < 0.5) skills.Add($"{Lines[second]}.install");
            var early = rng.NextDouble() < 0.7;
            var start = early ? 8.0 : 9.0;
            var lunch = rng.NextDouble() < 0.5 ? 12.0 : 12.5;
            techs.Add(new Technician($"T{k + 1:00}", skills, Somewhere(), At(start), At(start + 10), At(lunch), At(lunch + 1)));
        }

        var list = new List<DispatchOrder>(orders);
        double[][] slots = [[8, 10], [10, 12], [13, 15], [15, 17], [8, 12], [13, 17], [8, 18]];
        for (var i = 0; i < orders; i++)
        {
            var line = Lines[Pick(rng)];
            var u = rng.NextDouble();
            var job = u < 0.5 ? "repair" : u < 0.8 ? "install" : "maintenance";
            var skill = $"{line}.{(job == "install" ? "install" : "repair")}";
            var urgent = job == "repair" && rng.NextDouble() < 0.25;
            var w = rng.NextDouble();
            var slot = urgent ? slots[6] : w < 0.6 ? slots[rng.Next(4)] : w < 0.85 ? slots[4 + rng.Next(2)] : slots[6];
            DateTimeOffset? deadline = null;
            if (urgent) deadline = At(8 + 3 + rng.NextDouble() * 4);
            else if (rng.NextDouble() < 0.3) deadline = At(slot[0] + 1.5 + rng.NextDouble() * (slot[1] - slot[0]));
            list.Add(new DispatchOrder($"O{i + 1:000}", Somewhere(), At(slot[0]), At(slot[1]), job, skill, deadline,
                urgent ? OrderPriority.Urgent : OrderPriority.Normal));
        }
        // A few orders were already promised to a particular technician (a returning customer, a follow-up visit).
        for (var i = 0; i < orders / 20; i++)
        {
            var o = list[rng.Next(list.Count)];
            var qualified = techs.Where(t => t.Skills.Contains(o.RequiredSkill)).ToList();
            if (qualified.Count > 0 && o.PinnedTechnicianId is null && o.Priority == OrderPriority.Normal)
                list[list.IndexOf(o)] = o with { PinnedTechnicianId = qualified[rng.Next(qualified.Count)].Id };
        }
        return new DispatchRequest(techs, list);
    }

    private static int Pick(Rng rng)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < LineWeights.Length; i++)
        {
            if (u < LineWeights[i]) return i;
            u -= LineWeights[i];
        }
        return LineWeights.Length - 1;
    }

    // A point around `centre`: uniform in a disc of `km`, or Gaussian with σ = km.
    private static GeoPoint Offset(GeoPoint centre, Rng rng, double km, bool uniform)
    {
        double dx, dy;
        if (uniform)
        {
            var r = km * Math.Sqrt(rng.NextDouble());
            var a = 2 * Math.PI * rng.NextDouble();
            dx = r * Math.Cos(a); dy = r * Math.Sin(a);
        }
        else
        {
            var r = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble()));
            var a = 2 * Math.PI * rng.NextDouble();
            dx = km * r * Math.Cos(a); dy = km * r * Math.Sin(a);
        }
        var lat = centre.Latitude + dy / 111.0;
        var lng = centre.Longitude + dx / (111.0 * Math.Cos(centre.Latitude * Math.PI / 180));
        return new GeoPoint(lat, lng);
    }
}
