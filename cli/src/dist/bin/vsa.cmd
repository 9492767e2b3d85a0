@echo off
rem vsa launcher of the distribution archive (Windows): the bundled runtime if there is one, else JAVA_HOME, else java.
setlocal
set "APP=%~dp0.."
if exist "%APP%\runtime\bin\java.exe" (
  set "JAVA=%APP%\runtime\bin\java.exe"
) else if defined JAVA_HOME (
  set "JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA=java"
)
"%JAVA%" %VSA_JAVA_OPTS% -jar "%APP%\lib\vsa.jar" %*
exit /b %ERRORLEVEL%
