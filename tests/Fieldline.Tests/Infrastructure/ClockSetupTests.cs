using Fieldline.Web.Infrastructure.Clock;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Fieldline.Tests.Infrastructure;

public class ClockSetupTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Fieldline";
        public string ContentRootPath { get; set; } = ".";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IConfiguration Config(string clock) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Fieldline:Clock"] = clock }).Build();

    [Fact]
    public void The_sandbox_clock_is_refused_in_production()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddClock(Config("Manual"), new Env(Environments.Production)));
        Assert.Contains("Production", e.Message);
    }

    [Fact]
    public void The_sandbox_clock_replaces_the_system_clock_elsewhere_and_only_moves_forward()
    {
        var services = new ServiceCollection().AddClock(Config("Manual"), new Env(Environments.Development)).BuildServiceProvider();
        var clock = Assert.IsType<ManualClock>(services.GetRequiredService<TimeProvider>());
        var now = clock.GetUtcNow();
        clock.Set(now.AddMinutes(30));
        Assert.Equal(now.AddMinutes(30), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Set(now));
    }

    [Fact]
    public void An_unknown_clock_mode_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddClock(Config("Sundial"), new Env(Environments.Development)));
    }
}
