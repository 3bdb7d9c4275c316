using CoursePlatform.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.UseCoursePlatformMiddleware();
builder.Services.AddCoursePlatform(builder.Configuration);
builder.Build().Run();
