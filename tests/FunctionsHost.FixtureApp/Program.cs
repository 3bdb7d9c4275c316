using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Lets a test check how the host reports a worker that dies while starting.
if (Environment.GetEnvironmentVariable("FixtureFailStartup") == "true")
{
    throw new InvalidOperationException("Fixture worker was told to fail at start-up (FixtureFailStartup=true).");
}

FunctionsApplication.CreateBuilder(args).Build().Run();
