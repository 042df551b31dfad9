using System.Text.Json;
using Fieldline.Cli;
using Fieldline.Routing.Vrptw;
using Fieldline.Tests.Routing;

namespace Fieldline.Tests.Cli;

public class CliAppTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Solve_prints_the_instance_vehicles_distance_routes_and_seconds_as_json_that_check_accepts()
    {
        var instance = TestData.PathOf("C101.txt");
        var (code, output, _) = await Run("solve", instance, "--iterations", "3000", "--seed", "3");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("C101", root.GetProperty("instance").GetString());
        var routes = root.GetProperty("routes").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToList()).ToList();
        Assert.Equal(root.GetProperty("vehicles").GetInt32(), routes.Count);
        Assert.Equal(100, routes.Sum(r => r.Count));
        Assert.True(root.GetProperty("distance").GetDouble() > 0);
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);

        var solution = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(solution, output);
            var (checkCode, checkOutput, _) = await Run("check", instance, solution);
            Assert.Equal(0, checkCode);
            Assert.True(JsonDocument.Parse(checkOutput).RootElement.GetProperty("feasible").GetBoolean());
        }
        finally { File.Delete(solution); }
    }

    [Fact]
    public async Task Check_rejects_a_solution_that_leaves_customers_out_and_lists_the_violations()
    {
        var solution = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(solution, """{"instance":"C101","vehicles":1,"distance":0,"routes":[[20,24]],"seconds":0}""");
            var (code, output, _) = await Run("check", TestData.PathOf("C101.txt"), solution);
            Assert.Equal(1, code);
            var root = JsonDocument.Parse(output).RootElement;
            Assert.False(root.GetProperty("feasible").GetBoolean());
            Assert.NotEmpty(root.GetProperty("violations").EnumerateArray());
        }
        finally { File.Delete(solution); }
    }

    [Fact]
    public async Task Generate_writes_a_fresh_instance_in_the_Solomon_format()
    {
        var (code, output, _) = await Run("generate", "R2", "--seed", "4", "--customers", "50");
        Assert.Equal(0, code);
        var instance = SolomonReader.Parse(output);
        Assert.Equal("R2-fresh-4", instance.Name);
        Assert.Equal(50, instance.CustomerCount);
    }

    [Fact]
    public async Task Unknown_command_prints_the_usage_and_an_unknown_kind_names_the_valid_ones()
    {
        var (code, _, err) = await Run("optimise");
        Assert.Equal(2, code);
        Assert.Contains("usage: fieldline solve", err, StringComparison.Ordinal);
        var (kindCode, _, kindErr) = await Run("generate", "X9");
        Assert.Equal(1, kindCode);
        Assert.Contains("RC2", kindErr, StringComparison.Ordinal);
    }
}
