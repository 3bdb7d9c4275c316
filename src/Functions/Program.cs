using CoursePlatform.Functions;
using CoursePlatform.Functions.Infrastructure.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.UseCoursePlatformMiddleware();
builder.Services.AddCoursePlatform(builder.Configuration);
builder.Services.AddWorkerTelemetry(builder.Configuration);
builder.Build().Run();
