using Azure.Core.Serialization;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Health;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

var builder = FunctionsApplication.CreateBuilder(args);
var services = builder.Services;
var configuration = builder.Configuration;

services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(Json.Options));
services.AddSingleton(TimeProvider.System);

services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
services.AddDbContextPool<CoursePlatformDbContext>((sp, options) =>
    options.UseCoursePlatformDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

// One storage account serves the Functions host and the lesson uploads: a connection string locally,
// AzureWebJobsStorage__blobServiceUri with the managed identity in Azure.
services.AddAzureClients(clients =>
{
    clients.AddBlobServiceClient(configuration.GetSection("AzureWebJobsStorage"));
    clients.UseCredential(new Azure.Identity.DefaultAzureCredential());
});

services.AddSingleton<HealthService>();

builder.Build().Run();
